/* canns — datasets: named arrays with dimension names and attributes, the
 * in-memory form of an NPZ archive or a netCDF file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/io.h"
#include "io/io_internal.h"

cn_status cn_dataset_new(cn_dataset **out) {
  *out = calloc(1, sizeof **out);
  if (!*out) return cn_error(CN_ENOMEM, "out of memory");
  return CN_OK;
}

static void free_attrs(cn_attr *attrs, int n) {
  for (int i = 0; i < n; i++) {
    free(attrs[i].name);
    free(attrs[i].text);
    cn_array_release(attrs[i].values);
  }
  free(attrs);
}

void cn_dataset_free(cn_dataset *ds) {
  if (!ds) return;
  for (int i = 0; i < ds->nvars; i++) {
    cn_var *v = &ds->vars[i];
    free(v->name);
    cn_array_release(v->array);
    for (int d = 0; d < CN_MAXDIM; d++) free(v->dims[d]);
    free_attrs(v->attrs, v->nattrs);
  }
  free(ds->vars);
  free_attrs(ds->attrs, ds->nattrs);
  free(ds);
}

cn_var *cn_dataset_find(const cn_dataset *ds, const char *name) {
  if (!ds || !name) return NULL;
  for (int i = 0; i < ds->nvars; i++)
    if (strcmp(ds->vars[i].name, name) == 0) return &ds->vars[i];
  return NULL;
}

cn_status cn_dataset_add(cn_dataset *ds, const char *name, cn_array *a,
                         const char *const *dims) {
  if (!ds || !a) return cn_error(CN_EINVAL, "dataset or array is NULL");
  if (!name || !*name) return cn_error(CN_EINVAL, "variable name is empty");
  if (cn_dataset_find(ds, name))
    return cn_error(CN_EINVAL, "variable '%s' is already in the dataset", name);
  for (int d = 0; dims && d < a->ndim; d++) {
    if (dims[d] && !*dims[d])
      return cn_error(CN_EINVAL, "variable '%s': dimension %d has an empty "
                      "name", name, d + 1);
    for (int e = 0; e < d; e++)
      if (dims[d] && dims[e] && strcmp(dims[d], dims[e]) == 0)
        return cn_error(CN_EINVAL, "variable '%s': dimension name '%s' is "
                        "used twice", name, dims[d]);
  }
  if (ds->nvars >= 1 << 20)
    return cn_error(CN_ERANGE, "too many variables in one dataset");
  cn_var *vars = realloc(ds->vars, (size_t)(ds->nvars + 1) * sizeof *vars);
  if (!vars) return cn_error(CN_ENOMEM, "out of memory");
  ds->vars = vars;
  cn_var *v = &vars[ds->nvars];
  memset(v, 0, sizeof *v);
  bool ok = (v->name = cn_io_strdup(name)) != NULL;
  size_t nl = strlen(name) + 32;
  for (int d = 0; ok && d < a->ndim; d++) {
    if (dims && dims[d]) {
      ok = (v->dims[d] = cn_io_strdup(dims[d])) != NULL;
    } else if ((v->dims[d] = malloc(nl))) {
      snprintf(v->dims[d], nl, "%s_dim%d", name, d + 1);
    } else {
      ok = false;
    }
  }
  if (!ok) {
    free(v->name);
    for (int d = 0; d < CN_MAXDIM; d++) free(v->dims[d]);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  /* A default name could still clash with an explicit one. */
  for (int d = 0; d < a->ndim; d++)
    for (int e = 0; e < d; e++)
      if (strcmp(v->dims[d], v->dims[e]) == 0) {
        cn_status s = cn_error(CN_EINVAL, "variable '%s': dimension name '%s' "
                               "is used twice", name, v->dims[d]);
        free(v->name);
        for (int k = 0; k < CN_MAXDIM; k++) free(v->dims[k]);
        return s;
      }
  v->array = cn_array_retain(a);
  ds->nvars++;
  return CN_OK;
}

/* The attribute list of var (NULL: global) or an error. */
static cn_status attr_list(cn_dataset *ds, const char *var, cn_attr ***list,
                           int **n) {
  if (!ds) return cn_error(CN_EINVAL, "dataset is NULL");
  if (!var) {
    *list = &ds->attrs;
    *n = &ds->nattrs;
    return CN_OK;
  }
  cn_var *v = cn_dataset_find(ds, var);
  if (!v) return cn_error(CN_EINVAL, "no variable '%s' in the dataset", var);
  *list = &v->attrs;
  *n = &v->nattrs;
  return CN_OK;
}

/* A cleared slot for attribute `name` (replacing one of the same name). */
static cn_status attr_slot(cn_dataset *ds, const char *var, const char *name,
                           cn_attr **slot) {
  if (!name || !*name) return cn_error(CN_EINVAL, "attribute name is empty");
  cn_attr **list = NULL;
  int *n = NULL;
  CN_TRY(attr_list(ds, var, &list, &n));
  for (int i = 0; i < *n; i++)
    if (strcmp((*list)[i].name, name) == 0) {
      cn_attr *a = &(*list)[i];
      free(a->text);
      cn_array_release(a->values);
      a->text = NULL;
      a->values = NULL;
      *slot = a;
      return CN_OK;
    }
  char *nm = cn_io_strdup(name);
  cn_attr *grown = nm ? realloc(*list, (size_t)(*n + 1) * sizeof *grown) : NULL;
  if (!grown) {
    free(nm);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  *list = grown;
  cn_attr *a = &grown[(*n)++];
  memset(a, 0, sizeof *a);
  a->name = nm;
  *slot = a;
  return CN_OK;
}

cn_status cn_dataset_set_text(cn_dataset *ds, const char *var,
                              const char *name, const char *text) {
  if (!text) return cn_error(CN_EINVAL, "attribute text is NULL");
  char *t = cn_io_strdup(text);
  if (!t) return cn_error(CN_ENOMEM, "out of memory");
  cn_attr *a;
  cn_status s = attr_slot(ds, var, name, &a);
  if (s != CN_OK) {
    free(t);
    return s;
  }
  a->kind = CN_ATTR_TEXT;
  a->text = t;
  return CN_OK;
}

cn_status cn_dataset_set_values(cn_dataset *ds, const char *var,
                                const char *name, const cn_array *values) {
  if (!values) return cn_error(CN_EINVAL, "attribute values are NULL");
  if (values->dtype == CN_BOOL)
    return cn_error(CN_EDTYPE, "attribute '%s': bool values are not "
                    "supported (use int32)", name ? name : "");
  if (values->ndim > 1)
    return cn_error(CN_ESHAPE, "attribute '%s' must be 0-d or 1-d, got %d "
                    "dimensions", name ? name : "", values->ndim);
  cn_array *copy;
  CN_TRY(cn_array_new1(&copy, values->dtype, values->size));
  if (values->size)
    memcpy(copy->data, values->data,
           (size_t)values->size * cn_dtype_size(values->dtype));
  cn_attr *a;
  cn_status s = attr_slot(ds, var, name, &a);
  if (s != CN_OK) {
    cn_array_release(copy);
    return s;
  }
  a->kind = CN_ATTR_ARRAY;
  a->values = copy;
  return CN_OK;
}

cn_status cn_dataset_set_number(cn_dataset *ds, const char *var,
                                const char *name, double value) {
  cn_array *v;
  CN_TRY(cn_array_full(&v, CN_FLOAT64, 0, NULL, value));
  cn_status s = cn_dataset_set_values(ds, var, name, v);
  cn_array_release(v);
  return s;
}

const cn_attr *cn_dataset_attr(const cn_dataset *ds, const char *var,
                               const char *name) {
  if (!ds || !name) return NULL;
  const cn_attr *list = ds->attrs;
  int n = ds->nattrs;
  if (var) {
    const cn_var *v = cn_dataset_find(ds, var);
    if (!v) return NULL;
    list = v->attrs;
    n = v->nattrs;
  }
  for (int i = 0; i < n; i++)
    if (strcmp(list[i].name, name) == 0) return &list[i];
  return NULL;
}
