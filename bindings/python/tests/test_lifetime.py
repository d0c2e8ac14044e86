"""Ownership: with blocks and garbage collection free the C objects (the
library's own DMARC_EBUSY tells whether objects made from a context still
exist), callbacks stay referenced while the library may call them,
borrowed objects refuse use once their owner changed."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

import libdmarc
from libdmarc import DiscoveryResult, DnsOutcome, Mode, Result

from conftest import DATA
from zonefile import Zone


def is_busy(ctx: libdmarc.Context) -> bool:
    """Whether the library still counts objects made from ctx."""
    try:
        ctx.mode = ctx.mode
    except libdmarc.BusyError:
        return True
    return False


def test_with_block_frees(ctx):
    with libdmarc.Evaluation(ctx) as ev:
        assert is_busy(ctx)
    assert ev.closed and not is_busy(ctx)
    with pytest.raises(libdmarc.ClosedError):
        ev.result
    ev.close()  # again: nothing


def test_garbage_collection_frees(ctx):
    ev = libdmarc.Evaluation(ctx)
    d = libdmarc.Discovery(ctx)
    assert is_busy(ctx)
    del ev
    assert is_busy(ctx)
    del d
    gc.collect()
    assert not is_busy(ctx)


def test_reference_cycle_is_collected(ctx):
    ev = libdmarc.Evaluation(ctx)
    ev.cycle = ev  # type: ignore[attr-defined]
    del ev
    assert is_busy(ctx)
    gc.collect()
    assert not is_busy(ctx)


def test_context_outlives_what_was_made_from_it():
    ctx = libdmarc.Context(Mode.RFC7489)
    record = libdmarc.Record("v=DMARC1; p=reject; pct=20", ctx)
    ev = libdmarc.Evaluation(ctx)
    ctx.close()
    assert not ctx.closed  # deferred: objects made from it are open
    with pytest.raises(libdmarc.ClosedError):
        libdmarc.Evaluation(ctx)
    with pytest.raises(libdmarc.ClosedError):
        ctx.add_authserv_id("x")
    assert record.pct == 20
    ev.add_from("a@example.com")
    record.close()
    assert not ctx.closed
    ev.close()
    assert ctx.closed


def test_objects_keep_their_context_alive():
    ref = None

    def make():
        nonlocal ref
        ctx = libdmarc.Context(Mode.RFC7489)
        ref = weakref.ref(ctx)
        return libdmarc.Record("v=DMARC1; p=quarantine; pct=30", ctx)

    record = make()
    gc.collect()
    assert ref() is not None
    assert record.pct == 30 and record.mode is Mode.RFC7489
    del record
    gc.collect()
    assert ref() is None


class Lookup:
    """A lookup function object whose collection can be watched."""

    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self.calls = 0

    def __call__(self, qname, qtype):
        self.calls += 1
        return self.zone.lookup(qname, qtype)


def test_lookup_callback_is_kept_while_in_use():
    fn = Lookup(Zone.read(DATA / "demo.zone"))
    watch = weakref.ref(fn)
    ctx = libdmarc.Context(lookup=fn)
    del fn
    gc.collect()
    assert watch() is not None  # the context holds it
    for _ in range(3):  # churn the allocator where a freed thunk lived
        [bytearray(64) for _ in range(10000)]
        gc.collect()
    with libdmarc.Discovery(ctx) as d:
        d.start("bank.example")
        assert d.run() is DiscoveryResult.FOUND
    assert watch().calls > 0
    ctx.set_lookup(None)
    gc.collect()
    assert watch() is None  # released once replaced
    with libdmarc.Discovery(ctx) as d:
        d.start("bank.example")
        with pytest.raises(libdmarc.NoLookupError):
            d.run()
    ctx.close()


def test_lookup_callback_released_with_the_context():
    fn = Lookup(Zone.read(DATA / "demo.zone"))
    watch = weakref.ref(fn)
    ctx = libdmarc.Context(lookup=fn)
    del fn
    del ctx
    gc.collect()
    assert watch() is None


def test_clock_callback_drives_the_cache_ttl():
    now = [1000]
    zone = Zone.read(DATA / "demo.zone")
    ctx = libdmarc.Context(lookup=zone.lookup, cache=16)
    ctx.set_clock(lambda: now[0])
    gc.collect()
    for advance in (0, 10, 400):  # the zone's TTL is 300 s
        now[0] += advance
        with libdmarc.Discovery(ctx) as d:
            d.start("shop.example")
            d.run()
    hits, misses = ctx.cache_stats
    # the first run and the run after the TTL passed asked; one did not
    assert misses == 2 * hits > 0
    ctx.close()


@pytest.mark.parametrize("draw,applied", [(0, True), (0xFFFFFFFF, False)])
def test_random_callback_samples_pct(draw, applied):
    """RFC 7489 pct=50: the random source decides whether the policy
    applies to a failing message."""
    def lookup(qname, qtype):
        if qname == "_dmarc.example.com":
            return ["v=DMARC1; p=reject; pct=50"]
        return DnsOutcome.NXDOMAIN

    with libdmarc.Context(Mode.RFC7489, lookup=lookup) as ctx:
        ctx.load_psl_buffer("// test list\ncom\n")
        ctx.set_random(lambda: draw)
        gc.collect()
        with libdmarc.Evaluation(ctx) as ev:
            ev.add_from("a@example.com")
            assert ev.run() is Result.FAIL
            sampled = libdmarc.Reason.SAMPLED_OUT in [r.reason
                                                      for r in ev.reasons]
            assert sampled is not applied
            assert (ev.requested_policy is libdmarc.Policy.REJECT) is applied


def test_borrowed_record_is_refused_after_restart(ctx):
    zone = Zone.read(DATA / "demo.zone")
    with libdmarc.Discovery(ctx) as d:
        d.start("bank.example")
        d.run(zone.lookup)
        record = d.record
        assert record is not None and record.policy() is libdmarc.Policy.REJECT
        d.start("shop.example")
        with pytest.raises(libdmarc.ClosedError):
            record.policy()
        d.run(zone.lookup)
        assert d.record is not None
        assert d.record.policy() is libdmarc.Policy.QUARANTINE
    with pytest.raises(libdmarc.ClosedError):
        d.record


def test_borrowed_discovery_of_an_evaluation(ctx):
    zone = Zone.read(DATA / "demo.zone")
    ev = libdmarc.Evaluation(ctx)
    ev.add_from("a@bank.example")
    ev.run(zone.lookup)
    view = ev.discovery
    assert view.policy_domain == "bank.example"
    ev.close()
    with pytest.raises(libdmarc.ClosedError):
        view.policy_domain


def test_threads_share_a_context_and_keep_their_own_errors():
    zone = Zone.read(DATA / "demo.zone")
    failures = []

    def lookup(qname, qtype):
        if threading.current_thread().name == "broken":
            raise KeyError(qname)
        return zone.lookup(qname, qtype)

    def work():
        try:
            for _ in range(20):
                with libdmarc.Evaluation(ctx) as ev:
                    ev.add_from("a@shop.example")
                    ev.set_spf("pass", "shop.example")
                    assert ev.run() is Result.PASS
        except KeyError:
            if threading.current_thread().name != "broken":
                failures.append("KeyError in a working thread")
        except BaseException as exc:  # noqa: B902 - reported below
            failures.append(repr(exc))
        else:
            if threading.current_thread().name == "broken":
                failures.append("the broken thread raised nothing")

    with libdmarc.Context(lookup=lookup) as ctx:
        threads = [threading.Thread(target=work, name=n)
                   for n in ("a", "b", "broken", "c")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []


def test_default_resolver_goes_with_its_context():
    """The library's resolver as the lookup function (freed before the
    context); nothing listens on the discard port, so the query fails."""
    ctx = libdmarc.Context()
    if not libdmarc.has_feature(libdmarc.Feature.RESOLVER):
        with pytest.raises(libdmarc.NotSupportedError):
            ctx.use_resolver("127.0.0.1:9")
        return
    with pytest.raises(libdmarc.InvalidArgumentError):
        ctx.use_resolver("not an address")
    ctx.use_resolver("127.0.0.1:9", timeout=1, retries=1)
    with libdmarc.Discovery(ctx) as d:
        d.start("example.com")
        assert d.run() is DiscoveryResult.TEMPERROR
        assert d.failed_name == "_dmarc.example.com"
    ctx.close()
    assert ctx.closed
