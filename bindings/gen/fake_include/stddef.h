/* Minimal stand-in used only by bindings/gen/gen.py so that pycparser sees
 * plain typedef names instead of a system header's GNU extensions. */
#ifndef TSVC_GEN_FAKE_STDDEF_H
#define TSVC_GEN_FAKE_STDDEF_H
typedef unsigned long size_t;
typedef long ptrdiff_t;
#define NULL 0
#endif
