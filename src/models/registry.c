/* canns — the registry of model classes: construction by name, for the
 * built-in models and for models added by C extension modules. */
#include <pthread.h>
#include <string.h>

#include "canns/cann.h"
#include "canns/gridcell.h"
#include "canns/hierarchical.h"
#include "canns/model.h"
#include "canns/theta.h"

#define MAX_CLASSES 256

static const cn_model_class *classes[MAX_CLASSES];
static int nclasses = 0;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static cn_status add_locked(const cn_model_class *c) {
  for (int i = 0; i < nclasses; i++)
    if (strcmp(classes[i]->name, c->name) == 0) {
      classes[i] = c;
      return CN_OK;
    }
  if (nclasses == MAX_CLASSES)
    return cn_error(CN_ERANGE, "register_model: too many model classes (%d)", MAX_CLASSES);
  classes[nclasses++] = c;
  return CN_OK;
}

static void register_builtins(void) {
  const cn_model_class *const *b = cn_cann_classes();
  for (; *b; b++) add_locked(*b);
  for (b = cn_gridcell_classes(); *b; b++) add_locked(*b);
  for (b = cn_theta_classes(); *b; b++) add_locked(*b);
  for (b = cn_hier_classes(); *b; b++) add_locked(*b);
}

cn_status cn_model_register(const cn_model_class *c) {
  if (!c || !c->name || !c->name[0] || !c->create)
    return cn_error(CN_EINVAL, "register_model: a class needs a name and a create function");
  pthread_once(&once, register_builtins);
  pthread_mutex_lock(&lock);
  cn_status s = add_locked(c);
  pthread_mutex_unlock(&lock);
  return s;
}

const cn_model_class *cn_model_find(const char *name) {
  pthread_once(&once, register_builtins);
  const cn_model_class *c = NULL;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < nclasses && !c; i++)
    if (strcmp(classes[i]->name, name) == 0) c = classes[i];
  pthread_mutex_unlock(&lock);
  return c;
}

int cn_model_classes(const char **names, int cap) {
  pthread_once(&once, register_builtins);
  pthread_mutex_lock(&lock);
  int n = nclasses;
  for (int i = 0; i < n && i < cap; i++) names[i] = classes[i]->name;
  pthread_mutex_unlock(&lock);
  return n;
}

cn_status cn_model_create(const char *name, const cn_params *p, cn_model **out) {
  *out = NULL;
  const cn_model_class *c = cn_model_find(name);
  if (!c) return cn_error(CN_EINVAL, "no model class named '%s'", name);
  cn_params q = {c->name, 0, NULL};
  if (p) q = *p;
  if (!q.fname) q.fname = c->name;
  if (c->keys) CN_TRY(cn_params_check(&q, c->keys));
  return c->create(&q, out);
}
