/* canns — MATLAB .mat files through Debian's libmatio (v4, v5/v7 and,
 * where matio is built with HDF5, v7.3):
 *
 *   core.matio.load(path [, fname])  -> table name -> value, version string
 *
 * Values follow scipy.io.loadmat(squeeze_me=True, struct_as_record=False),
 * which upstream canns.analyzer.data.cell_classification.io.matlab_loader
 * uses: extents of 1 are dropped; a numeric or logical array of one
 * element becomes a Lua number (an integer for integer classes) or a
 * boolean; other numeric arrays become canns arrays (row-major, so a
 * MATLAB m×n matrix has shape {m, n}); char arrays become strings (one
 * per row when there are several rows); a 1×1 struct becomes a table of
 * its fields and a struct array a list of such tables; a cell array a
 * list of its converted elements (struct and cell arrays are flattened in
 * MATLAB's column-major order).  Complex, sparse, function and object
 * variables are errors.
 *
 * The open file and the variable being converted live in a userdata with
 * a __gc, so an error half-way (a bad variable, out of memory) leaks
 * nothing. */
#include <matio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lua/cnlua.h"

#define BOX_MT "canns.matio.box"

typedef struct box {
  mat_t *mat;
  matvar_t *var;
} box;

static void box_close(box *b) {
  if (b->var) Mat_VarFree(b->var), b->var = NULL;
  if (b->mat) Mat_Close(b->mat), b->mat = NULL;
}

static int box_gc(lua_State *L) {
  box_close(luaL_checkudata(L, 1, BOX_MT));
  return 0;
}

static size_t nelems(const matvar_t *v) {
  size_t n = 1;
  for (int k = 0; k < v->rank; k++) n *= v->dims[k];
  return n;
}

static const char *class_name(enum matio_classes c) {
  switch (c) {
  case MAT_C_OBJECT: return "object";
  case MAT_C_SPARSE: return "sparse";
  case MAT_C_FUNCTION: return "function handle";
  case MAT_C_OPAQUE: return "opaque";
  default: return "unknown";
  }
}

/* Element type of a numeric class: canns dtype and the bytes matio keeps. */
static int numeric_type(enum matio_classes c, cn_dtype *t, int *bytes, int *isint) {
  *isint = 1;
  switch (c) {
  case MAT_C_DOUBLE: *t = CN_FLOAT64, *bytes = 8, *isint = 0; return 1;
  case MAT_C_SINGLE: *t = CN_FLOAT32, *bytes = 4, *isint = 0; return 1;
  case MAT_C_INT8: case MAT_C_UINT8: *t = CN_INT32, *bytes = 1; return 1;
  case MAT_C_INT16: case MAT_C_UINT16: *t = CN_INT32, *bytes = 2; return 1;
  case MAT_C_INT32: *t = CN_INT32, *bytes = 4; return 1;
  case MAT_C_UINT32: case MAT_C_INT64: case MAT_C_UINT64: *t = CN_INT64, *bytes = c == MAT_C_UINT32 ? 4 : 8; return 1;
  default: return 0;
  }
}

/* Element k of numeric data as a double / an integer. */
static double elem_d(const matvar_t *v, size_t k) {
  const void *p = v->data;
  switch (v->class_type) {
  case MAT_C_DOUBLE: return ((const double *)p)[k];
  case MAT_C_SINGLE: return ((const float *)p)[k];
  case MAT_C_INT8: return ((const int8_t *)p)[k];
  case MAT_C_UINT8: return ((const uint8_t *)p)[k];
  case MAT_C_INT16: return ((const int16_t *)p)[k];
  case MAT_C_UINT16: return ((const uint16_t *)p)[k];
  case MAT_C_INT32: return ((const int32_t *)p)[k];
  case MAT_C_UINT32: return ((const uint32_t *)p)[k];
  case MAT_C_INT64: return (double)((const int64_t *)p)[k];
  case MAT_C_UINT64: return (double)((const uint64_t *)p)[k];
  default: return 0;
  }
}

static int64_t elem_i(const matvar_t *v, size_t k) {
  const void *p = v->data;
  switch (v->class_type) {
  case MAT_C_INT64: return ((const int64_t *)p)[k];
  case MAT_C_UINT64: return (int64_t)((const uint64_t *)p)[k];
  case MAT_C_UINT32: return ((const uint32_t *)p)[k];
  default: return (int64_t)elem_d(v, k);
  }
}

/* Squeezed extents in reverse order (MATLAB's column-major data read as
 * row-major); returns the number kept. */
static int squeezed_reversed(lua_State *L, const matvar_t *v, int64_t *shape, const char *FN, const char *where) {
  int n = 0;
  for (int k = v->rank - 1; k >= 0; k--)
    if (v->dims[k] != 1) {
      if (n == CN_MAXDIM) cnL_argerror(L, FN, 1, "filepath", "holds variable '%s' with more than %d dimensions", where, CN_MAXDIM);
      shape[n++] = (int64_t)v->dims[k];
    }
  return n;
}

static void push_numeric(lua_State *L, const matvar_t *v, const char *FN, const char *where) {
  cn_dtype t = CN_FLOAT64;
  int bytes = 0, isint = 0;
  if (!numeric_type(v->class_type, &t, &bytes, &isint))
    cnL_argerror(L, FN, 1, "filepath", "holds variable '%s': unsupported MATLAB class %d", where, (int)v->class_type);
  size_t n = nelems(v);
  if (n > 0 && (!v->data || v->data_size != bytes))
    cnL_argerror(L, FN, 1, "filepath", "holds variable '%s': data missing or of an unexpected element size", where);
  if (n == 1) {
    if (v->isLogical) lua_pushboolean(L, elem_d(v, 0) != 0);
    else if (isint) lua_pushinteger(L, (lua_Integer)elem_i(v, 0));
    else lua_pushnumber(L, elem_d(v, 0));
    return;
  }
  int64_t shape[CN_MAXDIM];
  int nd = squeezed_reversed(L, v, shape, FN, where);
  if (v->isLogical) t = CN_BOOL;
  cn_array *a;
  cnL_check(L, cn_array_empty(&a, t, nd, shape), FN);
  for (size_t k = 0; k < n; k++) {
    if (t == CN_BOOL) ((unsigned char *)a->data)[k] = elem_d(v, k) != 0;
    else if (t == CN_INT32) ((int32_t *)a->data)[k] = (int32_t)elem_i(v, k);
    else if (t == CN_INT64) ((int64_t *)a->data)[k] = elem_i(v, k);
    else if (t == CN_FLOAT32) cn_f32(a)[k] = (float)elem_d(v, k);
    else cn_f64(a)[k] = elem_d(v, k);
  }
  if (nd >= 2) {
    cn_array *b = NULL;
    cn_status s = cn_array_transpose(&b, a, NULL);
    cn_array_release(a);
    cnL_check(L, s, FN);
    a = b;
  }
  cnL_pusharray(L, a);
}

/* Append code point c as UTF-8. */
static void add_utf8(luaL_Buffer *B, unsigned c) {
  if (c < 0x80) luaL_addchar(B, (char)c);
  else if (c < 0x800) luaL_addchar(B, (char)(0xC0 | c >> 6)), luaL_addchar(B, (char)(0x80 | (c & 63)));
  else {
    luaL_addchar(B, (char)(0xE0 | c >> 12));
    luaL_addchar(B, (char)(0x80 | ((c >> 6) & 63)));
    luaL_addchar(B, (char)(0x80 | (c & 63)));
  }
}

static void push_char(lua_State *L, const matvar_t *v, const char *FN, const char *where) {
  size_t n = nelems(v);
  if (n == 0) { lua_pushliteral(L, ""); return; }
  if (!v->data || (v->data_size != 1 && v->data_size != 2))
    cnL_argerror(L, FN, 1, "filepath", "holds variable '%s': character data of an unexpected element size", where);
  size_t rows = v->rank >= 1 ? v->dims[0] : 1, cols = n / rows;
  if (v->rank > 2) cnL_argerror(L, FN, 1, "filepath", "holds variable '%s': character arrays of more than 2 dimensions are not supported", where);
  if (rows > 1) lua_createtable(L, (int)rows, 0);
  for (size_t r = 0; r < rows; r++) {
    luaL_Buffer B;
    luaL_buffinit(L, &B);
    for (size_t c = 0; c < cols; c++) {
      size_t k = r + c * rows;
      unsigned ch = v->data_size == 1 ? ((const uint8_t *)v->data)[k] : ((const uint16_t *)v->data)[k];
      if (v->data_size == 1) luaL_addchar(&B, (char)ch);
      else add_utf8(&B, ch);
    }
    luaL_pushresult(&B);
    if (rows > 1) lua_rawseti(L, -2, (lua_Integer)r + 1);
  }
}

static void push_value(lua_State *L, matvar_t *v, const char *FN, const char *where, int depth);

static void push_struct_elem(lua_State *L, matvar_t *v, size_t i, const char *FN, const char *where, int depth) {
  unsigned nf = Mat_VarGetNumberOfFields(v);
  char *const *names = Mat_VarGetStructFieldnames(v);
  lua_createtable(L, 0, (int)nf);
  for (unsigned f = 0; f < nf; f++) {
    matvar_t *fv = Mat_VarGetStructFieldByIndex(v, f, i);
    if (!names || !names[f]) continue;
    if (fv) push_value(L, fv, FN, names[f], depth + 1);
    else lua_newtable(L); /* an empty field ([]) */
    lua_setfield(L, -2, names[f]);
  }
  (void)where;
}

static void push_value(lua_State *L, matvar_t *v, const char *FN, const char *where, int depth) {
  if (depth > 200) cnL_argerror(L, FN, 1, "filepath", "holds variable '%s', nested too deeply", where);
  luaL_checkstack(L, 8, FN);
  if (v->isComplex) cnL_argerror(L, FN, 1, "filepath", "holds variable '%s': complex values are not supported", where);
  size_t n = nelems(v);
  switch (v->class_type) {
  case MAT_C_EMPTY: lua_newtable(L); return;
  case MAT_C_CHAR: push_char(L, v, FN, where); return;
  case MAT_C_STRUCT:
    if (n == 1) { push_struct_elem(L, v, 0, FN, where, depth); return; }
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) push_struct_elem(L, v, i, FN, where, depth), lua_rawseti(L, -2, (lua_Integer)i + 1);
    return;
  case MAT_C_CELL:
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
      matvar_t *c = Mat_VarGetCell(v, (int)i);
      if (c) push_value(L, c, FN, where, depth + 1);
      else lua_newtable(L);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return;
  case MAT_C_OBJECT: case MAT_C_SPARSE: case MAT_C_FUNCTION: case MAT_C_OPAQUE:
    cnL_argerror(L, FN, 1, "filepath", "holds variable '%s': MATLAB %s values are not supported", where, class_name(v->class_type));
    return;
  default: push_numeric(L, v, FN, where); return;
  }
}

static void quiet_log(int level, char *message) { (void)level, (void)message; }

/* A v5 file is a 128-byte header and a chain of data elements, each an
 * 8-byte tag (type, byte count; a "small element" packs both in 4 bytes)
 * and its bytes, miMATRIX elements padded to 8.  matio stops quietly at a
 * cut-off element, so walk the chain and report whether it ends exactly
 * at the end of the file. */
static int v5_complete(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  unsigned char h[128];
  int ok = fread(h, 1, 128, f) == 128;
  int swap = ok && h[126] == 'M' && h[127] == 'I'; /* written big-endian */
  long pos = 128, size = -1;
  if (ok && fseek(f, 0, SEEK_END) == 0) size = ftell(f);
  while (ok && size >= 0 && pos < size) {
    unsigned char t[8];
    if (fseek(f, pos, SEEK_SET) != 0 || fread(t, 1, 8, f) != 8) { ok = 0; break; }
    uint32_t w0, w1;
    if (swap) w0 = (uint32_t)t[0] << 24 | t[1] << 16 | t[2] << 8 | t[3], w1 = (uint32_t)t[4] << 24 | t[5] << 16 | t[6] << 8 | t[7];
    else w0 = (uint32_t)t[3] << 24 | t[2] << 16 | t[1] << 8 | t[0], w1 = (uint32_t)t[7] << 24 | t[6] << 16 | t[5] << 8 | t[4];
    if (w0 >> 16) { pos += 8; continue; } /* small data element */
    long n = (long)w1;
    if (w0 != 15) n = (n + 7) / 8 * 8; /* miCOMPRESSED is not padded */
    pos += 8 + n;
  }
  fclose(f);
  return ok && pos == size;
}

/* core.matio.load(filepath [, fname]): fname names the calling function
 * in error messages (MATFileLoader.load by default). */
static int l_load(lua_State *L) {
  const char *FN = luaL_optstring(L, 2, "MATFileLoader.load");
  const char *path = cnL_checkstring(L, 1, FN, 1, "filepath");
  box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->mat = NULL, b->var = NULL;
  luaL_setmetatable(L, BOX_MT);
  FILE *f = fopen(path, "rb");
  if (!f) return cnL_argerror(L, FN, 1, "filepath", "'%s' cannot be opened for reading", path);
  fclose(f);
  Mat_LogInitFunc("canns", quiet_log); /* matio's messages become our errors */
  b->mat = Mat_Open(path, MAT_ACC_RDONLY);
  if (!b->mat) return cnL_argerror(L, FN, 1, "filepath", "'%s' is not a readable MATLAB .mat file", path);
  enum mat_ft ver = Mat_GetVersion(b->mat);
  if (ver == MAT_FT_MAT5 && !v5_complete(path))
    return cnL_argerror(L, FN, 1, "filepath", "'%s' is truncated or corrupt (a data element runs past the end of the file)", path);
  lua_newtable(L);
  int count = 0;
  for (;;) {
    matvar_t *info = Mat_VarReadNextInfo(b->mat);
    if (!info) break;
    count++;
    char name[256];
    snprintf(name, sizeof name, "%s", info->name ? info->name : "");
    Mat_VarFree(info);
    if (!name[0]) return cnL_argerror(L, FN, 1, "filepath", "'%s': variable %d has no name (corrupt file?)", path, count);
    b->var = Mat_VarRead(b->mat, name);
    if (!b->var) return cnL_argerror(L, FN, 1, "filepath", "'%s': variable '%s' cannot be read (corrupt file?)", path, name);
    push_value(L, b->var, FN, name, 0);
    lua_setfield(L, -2, name);
    Mat_VarFree(b->var), b->var = NULL;
  }
  if (count == 0) {
    /* An empty v5 file is legal, but a file that is not MATLAB at all can
     * pass Mat_Open's header check only for v4; reject v4 files with no
     * variables (anything at all opens as v4). */
    if (ver == MAT_FT_MAT4) return cnL_argerror(L, FN, 1, "filepath", "'%s' is not a readable MATLAB .mat file", path);
  }
  lua_pushstring(L, ver == MAT_FT_MAT73 ? "7.3" : ver == MAT_FT_MAT5 ? "5" : ver == MAT_FT_MAT4 ? "4" : "unknown");
  box_close(b); /* close now rather than at the next collection */
  return 2;
}

void cnL_open_matio(lua_State *L) {
  if (luaL_newmetatable(L, BOX_MT)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, l_load);
  lua_setfield(L, -2, "load");
  lua_setfield(L, -2, "matio");
}
