/* canns — dynamical models and the simulation loop.
 *
 * A model is a cn_model: a vtable of functions (step, reset, state lookup,
 * ...) and an implementation pointer.  Built-in models (CANN1D, CANN2D, ...)
 * and models written by users in C share this interface, so cn_run steps any
 * of them over a whole input sequence without leaving C:
 *
 *   cn_model *m;
 *   CN_TRY(cn_model_create("CANN1D", &params, &m));     // or cn_cann1d_new
 *   const char *rec[] = {"u", "inp"};
 *   cn_run_opts o = CN_RUN_OPTS_INIT;
 *   o.record = rec; o.nrecord = 2;
 *   cn_array *out[2];
 *   CN_TRY(cn_run(m, inputs, &o, out));   // out[0]: (T, N) u after each step
 *   cn_model_release(m);
 *
 * The global time step (cn_set_dt / cn_get_dt, default 0.1) is read by the
 * models at every step, as brainpy.math.get_dt() is upstream.
 *
 * Writing a model in C: fill a cn_model_vtable (step, reset, state and
 * destroy are required; param and stimulus may be NULL), allocate the
 * implementation, and call cn_model_new.  To make it constructible by name
 * (and so from Lua, canns.models.create(name, {...})), register a
 * cn_model_class with cn_model_register.  docs/extending.md has a worked
 * example (examples/cmodel/).
 */
#ifndef CANNS_MODEL_H
#define CANNS_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- global time step ----------------------------------------------- */
/* dt must be finite and > 0; the default is 0.1. */
cn_status cn_set_dt(double dt);
double cn_get_dt(void);

/* --- keyword parameters (what a constructor receives) ---------------- */
typedef enum cn_param_type {
  CN_PARAM_NUMBER = 0,
  CN_PARAM_BOOL,
  CN_PARAM_STRING
} cn_param_type;

typedef struct cn_param {
  const char *key;
  cn_param_type type;
  double num;      /* number, or 0/1 for a bool */
  const char *str; /* string value (borrowed) */
} cn_param;

/* A borrowed list of parameters; `fname` names the constructor in error
 * messages ("CANN1D: num must be ..."). */
typedef struct cn_params {
  const char *fname;
  int n;
  const cn_param *items;
} cn_params;

/* Look up `key`: absent gives `def`; present with another type is an
 * error naming the key.  cn_params_int also requires an integral value. */
cn_status cn_params_number(const cn_params *p, const char *key, double def,
                           double *out);
cn_status cn_params_int(const cn_params *p, const char *key, int64_t def,
                        int64_t *out);
cn_status cn_params_bool(const cn_params *p, const char *key, bool def,
                         bool *out);
cn_status cn_params_string(const cn_params *p, const char *key,
                           const char *def, const char **out);
bool cn_params_has(const cn_params *p, const char *key);
/* Error on any key not in `allowed` (NULL-terminated). */
cn_status cn_params_check(const cn_params *p, const char *const *allowed);

/* --- the model interface ------------------------------------------- */
typedef struct cn_model cn_model;

/* One named input of a model.  Every model has at least one: a model made
 * with cn_model_new takes one input called "inp" of its input shape; a
 * model with several inputs per step (velocity, position, theta phase, ...)
 * declares them with cn_model_set_inputs and steps through step_inputs.
 * An optional input that a run does not give is `fill` at every step. */
#define CN_MAX_INPUTS 8
typedef struct cn_model_input {
  const char *name;            /* borrowed, static */
  int ndim;
  int64_t shape[CN_MAXDIM];
  int64_t size;
  bool optional;
  double fill;                 /* value of an optional input not given */
} cn_model_input;

typedef struct cn_model_vtable {
  const char *name; /* class name, e.g. "CANN1D" */
  /* One time step.  `inp` has the model's dtype and input shape. */
  cn_status (*step)(cn_model *m, const cn_array *inp);
  /* Return the state to its initial value. */
  cn_status (*reset)(cn_model *m);
  /* A state variable or attribute array by name, borrowed (valid until the
   * next step/reset/free), or NULL when the model has no such array. */
  cn_array *(*state)(cn_model *m, const char *name);
  /* Optional: a scalar parameter by name (CN_EINVAL when unknown). */
  cn_status (*param)(cn_model *m, const char *name, double *out);
  /* Optional: the external input centred at position pos[0..npos-1],
   * written into `out` (model dtype, input shape).  It may be called
   * from several threads at once (cn_model_stimulus_seq): it must only
   * read the model. */
  cn_status (*stimulus)(cn_model *m, const double *pos, int npos,
                        cn_array *out);
  /* Free the implementation (m->impl); the cn_model itself is freed by
   * cn_model_release. */
  void (*destroy)(cn_model *m);
  /* Optional: one time step with all named inputs, inp[i] for
   * m->inputs[i] (model dtype, that input's shape).  A model with more
   * than one input needs it; step may then be NULL.  A model with one
   * input may leave it NULL: step is called. */
  cn_status (*step_inputs)(cn_model *m, const cn_array *const *inp);
  /* Optional: a composite model's part by name (borrowed, owned by m), or
   * NULL.  State names with dots ("module1.grid_cell.r") go through it:
   * cn_model_state, cn_run's recording and Lua's m.module1.grid_cell.r. */
  cn_model *(*child)(cn_model *m, const char *name);
} cn_model_vtable;

struct cn_model {
  const cn_model_vtable *vt;
  void *impl;
  cn_dtype dtype;               /* float32 or float64 */
  int in_ndim;                  /* input (= state) shape of one step */
  int64_t in_shape[CN_MAXDIM];
  int64_t in_size;
  int pos_ndim;                 /* feature-space dimension (0: no stimulus) */
  const char *const *states;    /* NULL-terminated names state() knows */
  const char *const *params;    /* NULL-terminated names param() knows */
  int refcount;
  int ninputs;                  /* >= 1; inputs[0] is the input shape above */
  cn_model_input inputs[CN_MAX_INPUTS];
  const char *const *children;  /* NULL-terminated names child() knows */
};

/* Wrap an implementation.  On failure vt->destroy is NOT called; the
 * caller still owns impl. */
cn_status cn_model_new(cn_model **out, const cn_model_vtable *vt, void *impl,
                       cn_dtype dtype, int in_ndim, const int64_t *in_shape);
/* Declare the model's named inputs (replacing the single "inp"); the
 * first becomes in_shape.  n is 1..CN_MAX_INPUTS; names must be distinct. */
cn_status cn_model_set_inputs(cn_model *m, int n, const cn_model_input *inputs);
/* Index of the input called `name`, or -1. */
int cn_model_input_index(const cn_model *m, const char *name);
cn_model *cn_model_retain(cn_model *m);
void cn_model_release(cn_model *m); /* NULL is fine */

/* One step with any float input of the input shape (or a 0-d/size-1
 * input, broadcast); converts the dtype when needed. */
cn_status cn_model_step(cn_model *m, const cn_array *inp);
/* One step with one array per declared input, inp[i] for m->inputs[i]
 * (NULL: an optional input's fill value); each may be a size-1 array
 * (broadcast) and any number dtype. */
cn_status cn_model_step_inputs(cn_model *m, const cn_array *const *inp);
cn_status cn_model_reset(cn_model *m);
/* Borrowed state array, or NULL with an error message set.  A dotted
 * name is looked up through the parts: "a.b.r" is state r of part b of
 * part a. */
cn_array *cn_model_state(cn_model *m, const char *name);
/* The same without setting an error (NULL when there is none). */
cn_array *cn_model_find_state(cn_model *m, const char *name);
/* A composite model's part by name (dotted names go down the tree),
 * borrowed; NULL when there is none. */
cn_model *cn_model_child(cn_model *m, const char *name);
cn_status cn_model_param(cn_model *m, const char *name, double *out);

/* One named scalar parameter, for the tables a model's `param` slot
 * searches with cn_model_param_lookup. */
typedef struct cn_param_value {
  const char *name;
  double value;
} cn_param_value;

/* The value of `name` among the n entries of t into *out, or CN_EINVAL
 * "<class> has no parameter 'name'" (the shared body of the models'
 * `param` slots). */
cn_status cn_model_param_lookup(const cn_model *m, const cn_param_value *t, size_t n,
                                const char *name, double *out);
/* A new array with the stimulus at pos (needs vt->stimulus). */
cn_status cn_model_stimulus(cn_model *m, const double *pos, int npos,
                            cn_array **out);
/* Stimuli for a whole position sequence: positions is (T, pos_ndim) or
 * (T,) float64; out is (T, input shape) in the model dtype. */
cn_status cn_model_stimulus_seq(cn_model *m, const cn_array *positions,
                                cn_array **out);

/* --- the simulation loop ------------------------------------------- */
typedef struct cn_run_opts {
  const char *const *record; /* names of state arrays to record */
  int nrecord;
  int64_t record_every;      /* keep the state after steps k-1, 2k-1, ... */
  int64_t nsteps;            /* steps of zero input when inputs is NULL */
  bool progress;             /* terminal progress bar */
  bool reset;                /* reset the model before the first step */
  const char *label;         /* progress label (NULL: the model name) */
} cn_run_opts;

#define CN_RUN_OPTS_INIT {NULL, 0, 1, 0, false, false, NULL}

/* Step `m` once per row of `inputs` (shape (T, input shape), any float
 * dtype; NULL means o->nsteps steps of zero input).  out[i] receives a new
 * array of shape (T / record_every, shape of state i) in the state's dtype:
 * row j is the state after step (j+1)*record_every - 1.  Nothing is
 * allocated inside the loop. */
cn_status cn_run(cn_model *m, const cn_array *inputs, const cn_run_opts *o,
                 cn_array **out);
/* The same with named input sequences: seqs[i] (shape (T, shape of the
 * input called names[i]), all with the same T) for i < n.  Every
 * required input must be given; an optional one not given is its fill
 * value.  n == 0 runs o->nsteps steps with every input zero (or fill).
 * A model with one input takes it under its name. */
cn_status cn_run_inputs(cn_model *m, int n, const char *const *names,
                        const cn_array *const *seqs, const cn_run_opts *o,
                        cn_array **out);

/* --- classes: construction by name --------------------------------- */
typedef cn_status (*cn_model_create_fn)(const cn_params *p, cn_model **out);

typedef struct cn_model_class {
  const char *name;           /* "CANN1D" */
  cn_model_create_fn create;
  const char *const *keys;    /* accepted parameter names (NULL-terminated) */
  const char *summary;        /* one line for help texts */
} cn_model_class;

/* Register a class (the struct must outlive the process, e.g. static).
 * Registering a name again replaces the earlier class. */
cn_status cn_model_register(const cn_model_class *c);
const cn_model_class *cn_model_find(const char *name);
/* Names of the registered classes, in registration order (built-ins
 * first); returns the count and stores up to `cap` pointers. */
int cn_model_classes(const char **names, int cap);
/* Construct a registered class by name. */
cn_status cn_model_create(const char *name, const cn_params *p,
                          cn_model **out);

#ifdef __cplusplus
}
#endif
#endif
