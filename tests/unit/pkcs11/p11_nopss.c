/*
 * SPDX-License-Identifier: Apache-2.0
 * A PKCS#11 test module that forwards everything to SoftHSM2 but does
 * not offer CKM_RSA_PKCS_PSS: C_GetMechanismList leaves it out and
 * C_SignInit refuses it with CKR_MECHANISM_INVALID, as a token without
 * that mechanism would. Used by the "unsupported mechanism" test.
 * The real module's path comes from TSVC_P11_REAL_MODULE (default: the
 * Debian SoftHSM2 path).
 */
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>
#include <stdlib.h>
#include <string.h>

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **list);

static CK_FUNCTION_LIST shim;
static CK_FUNCTION_LIST *real;

static CK_RV shim_get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE *mechs, CK_ULONG *count)
{
    CK_MECHANISM_TYPE all[512];
    CK_ULONG n = 512;
    CK_RV rv = real->C_GetMechanismList(slot, all, &n);
    if (rv != CKR_OK)
        return rv;
    CK_ULONG k = 0;
    for (CK_ULONG i = 0; i < n; i++)
        if (all[i] != CKM_RSA_PKCS_PSS)
            all[k++] = all[i];
    if (mechs == NULL) {
        *count = k;
        return CKR_OK;
    }
    if (*count < k) {
        *count = k;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(mechs, all, k * sizeof(all[0]));
    *count = k;
    return CKR_OK;
}

static CK_RV shim_sign_init(CK_SESSION_HANDLE s, CK_MECHANISM *mech, CK_OBJECT_HANDLE key)
{
    if (mech != NULL && mech->mechanism == CKM_RSA_PKCS_PSS)
        return CKR_MECHANISM_INVALID;
    return real->C_SignInit(s, mech, key);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **list)
{
    if (real == NULL) {
        const char *path = getenv("TSVC_P11_REAL_MODULE");
        void *dl = dlopen(path != NULL ? path : "/usr/lib/softhsm/libsofthsm2.so",
                          RTLD_NOW | RTLD_LOCAL);
        if (dl == NULL)
            return CKR_GENERAL_ERROR;
        CK_C_GetFunctionList get;
        void *sym = dlsym(dl, "C_GetFunctionList");
        if (sym == NULL)
            return CKR_GENERAL_ERROR;
        memcpy(&get, &sym, sizeof(get));
        CK_RV rv = get(&real);
        if (rv != CKR_OK)
            return rv;
        shim = *real;
        shim.C_GetMechanismList = shim_get_mechanism_list;
        shim.C_SignInit = shim_sign_init;
    }
    *list = &shim;
    return CKR_OK;
}
