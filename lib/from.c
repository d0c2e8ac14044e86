/* placeholder: being written */
#include "config.h"
#include "from_int.h"
