/*
 * SPDX-License-Identifier: Apache-2.0
 * Corpus replay: feeds every regular file of the directories (or the
 * files) named on the command line to LLVMFuzzerTestOneInput, so the
 * normal test suite runs each fuzz target over its committed corpus.
 * Each input is read into a buffer of exactly its size, so that a
 * sanitizer build catches reads past the end.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    int rc = -1;
    if (buf == NULL)
        goto out;
    for (;;) {
        if (len == cap) {
            uint8_t *p = realloc(buf, cap * 2);
            if (p == NULL)
                goto out;
            buf = p;
            cap *= 2;
        }
        const size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        goto out;
    }
    /* Exact-size copy: no slack after the last byte. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL)
        goto out;
    if (len > 0)
        memcpy(exact, buf, len);
    (void)LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

static int run_path(const char *path, unsigned *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        return -1;
    }
    if (S_ISREG(st.st_mode)) {
        (*count)++;
        return run_file(path);
    }
    if (!S_ISDIR(st.st_mode))
        return 0;
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "replay: cannot open directory %s\n", path);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        const size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(n);
        if (child == NULL) {
            rc = -1;
            break;
        }
        snprintf(child, n, "%s/%s", path, e->d_name);
        if (stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
            (*count)++;
            rc = run_file(child);
        }
        free(child);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &count) != 0)
            return 1;
    if (count == 0) {
        fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    printf("replayed %u inputs\n", count);
    return 0;
}
