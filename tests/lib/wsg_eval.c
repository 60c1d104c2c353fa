// SPDX-License-Identifier: GPL-2.0-only
/* The evaluation corpus lookup; see wsg_eval.h. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "wsg_eval.h"

char wsg_eval_dir[4096];

int wsg_find_eval(void)
{
	const char *env = getenv("WSG_EVAL_DIR");
	char exe[4096], beside[4200], path[4200];
	const char *cands[] = { env, "../shared/eval", "../../shared/eval", beside };
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	/* The binary is <repo>/build/tests/unit/<name>; the corpus is <repo>/../shared/eval. */
	beside[0] = 0;
	if (n > 0) {
		exe[n] = 0;
		snprintf(beside, sizeof(beside), "%s/../../../../shared/eval", dirname(exe));
	}
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		if (!cands[i] || !cands[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/attacks-dev.jsonl", cands[i]);
		if (!access(path, R_OK)) {
			snprintf(wsg_eval_dir, sizeof(wsg_eval_dir), "%s", cands[i]);
			return 1;
		}
	}
	return 0;
}
