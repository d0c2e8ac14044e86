/*
 * Replays fuzz corpora through a fuzz target without libFuzzer, so that
 * 'make check' runs every stored input (and every crash once found).
 * Arguments are files or directories; with none, the directory named by
 * the CORPUS environment variable, else test/fuzz/corpus/<target name>.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path, unsigned long *count)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: read failed\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	(*count)++;
	return 0;
}

static int replay(const char *path, unsigned long *count)
{
	struct stat sb;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (stat(path, &sb) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode))
		return replay_file(path, count);
	d = opendir(path);
	if (d == NULL) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char child[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof child, "%s/%s", path, e->d_name);
		rc |= replay(child, count);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	char def[4096];
	/* the target's name: what follows "replay-" in the program's name */
	const char *name = strstr(argv[0], "replay-");
	unsigned long count = 0;
	int i, rc = 0;

	if (argc < 2) {
		const char *dir = getenv("CORPUS");
		if (dir == NULL) {
			const char *src = getenv("top_srcdir");
			snprintf(def, sizeof def, "%s/test/fuzz/corpus/%s",
			    src != NULL ? src : ".", name != NULL ? name + 7 : "");
			dir = def;
		}
		rc = replay(dir, &count);
	}
	for (i = 1; i < argc; i++)
		rc |= replay(argv[i], &count);
	if (count == 0) {
		fputs("replay: no inputs found\n", stderr);
		return 1;
	}
	printf("replay: %lu inputs, no crash\n", count);
	return rc != 0 ? 1 : 0;
}
