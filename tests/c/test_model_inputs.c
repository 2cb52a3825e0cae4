/* Models with several named inputs per step (cn_model_set_inputs,
 * cn_run_inputs): a toy two-input model stepped by cn_run_inputs must
 * match the same model stepped by hand, bit for bit; optional inputs take
 * their fill value; bad named inputs are errors that name them. */
#include <string.h>

#include "canns/model.h"
#include "test.h"

/* x <- x + gain * u + b, with u of shape {N} and b of shape {1} */
typedef struct toy {
  cn_array *x;
  double gain;
} toy;

static cn_status toy_step_inputs(cn_model *m, const cn_array *const *in) {
  toy *t = m->impl;
  float *x = t->x->data;
  const float *u = in[0]->data, *b = in[1]->data;
  for (int64_t i = 0; i < t->x->size; i++) x[i] = x[i] + (float)t->gain * u[i] + b[0];
  return CN_OK;
}
static cn_status toy_reset(cn_model *m) { return cn_array_fill(((toy *)m->impl)->x, 0); }
static cn_array *toy_state(cn_model *m, const char *name) {
  return strcmp(name, "x") == 0 ? ((toy *)m->impl)->x : NULL;
}
static void toy_destroy(cn_model *m) {
  toy *t = m->impl;
  cn_array_release(t->x);
  free(t);
}
static const cn_model_vtable toy_vt = {"Toy", NULL, toy_reset, toy_state, NULL, NULL,
                                       toy_destroy, toy_step_inputs, NULL};
static const char *const toy_states[] = {"x", NULL};

static cn_model *toy_new(int64_t n, bool b_optional) {
  toy *t = calloc(1, sizeof *t);
  t->gain = 0.5;
  CHECK_OK(cn_array_zeros(&t->x, CN_FLOAT32, 1, &n));
  cn_model *m;
  CHECK_OK(cn_model_new(&m, &toy_vt, t, CN_FLOAT32, 1, &n));
  m->states = toy_states;
  cn_model_input in[2] = {{"u", 1, {n}, 0, false, 0}, {"b", 1, {1}, 0, b_optional, 0.25}};
  CHECK_OK(cn_model_set_inputs(m, 2, in));
  return m;
}

static cn_array *seq(int64_t T, int64_t n, cn_dtype t, double scale) {
  cn_array *a;
  int64_t sh[2] = {T, n};
  CHECK_OK(cn_array_empty(&a, t, 2, sh));
  for (int64_t i = 0; i < a->size; i++) cn_array_setd(a, i, scale * (double)((i * 7919) % 13) - 3);
  return a;
}

/* Rows of 5 floats go through memcpy; 67 floats (268 bytes, so every
 * recorded row starts at another offset within a cache line) and 512
 * through the streaming copies, with their unaligned heads and tails. */
static void run_matches_stepping(int64_t n) {
  int64_t T = 40;
  cn_model *a = toy_new(n, false), *b = toy_new(n, false);
  cn_array *u = seq(T, n, CN_FLOAT32, 0.1), *bb = seq(T, 1, CN_FLOAT64, 0.01);
  const char *names[2] = {"b", "u"}; /* any order */
  const cn_array *seqs[2] = {bb, u};
  const char *rec[] = {"x"};
  cn_run_opts o = CN_RUN_OPTS_INIT;
  o.record = rec, o.nrecord = 1, o.record_every = 3;
  cn_array *out[1];
  CHECK_OK(cn_run_inputs(a, 2, names, seqs, &o, out));
  CHECK(out[0]->shape[0] == T / 3 && out[0]->shape[1] == n);
  for (int64_t t = 0; t < T; t++) {
    cn_array *ur, *br;
    CHECK_OK(cn_array_select(&ur, u, t));
    CHECK_OK(cn_array_select(&br, bb, t));
    const cn_array *row[2] = {ur, br};
    CHECK_OK(cn_model_step_inputs(b, row));
    cn_array_release(ur);
    cn_array_release(br);
    if ((t + 1) % 3 == 0) {
      const float *x = ((toy *)b->impl)->x->data;
      const float *r = (const float *)out[0]->data + ((t + 1) / 3 - 1) * n;
      CHECK(memcmp(x, r, (size_t)n * sizeof(float)) == 0);
    }
  }
  CHECK(memcmp(((toy *)a->impl)->x->data, ((toy *)b->impl)->x->data, (size_t)n * 4) == 0);
  cn_array_release(out[0]);
  cn_array_release(u);
  cn_array_release(bb);
  cn_model_release(a);
  cn_model_release(b);
}

TEST(run_inputs_matches_stepping) {
  run_matches_stepping(5);
  run_matches_stepping(67);
  run_matches_stepping(512);
}

TEST(optional_input_takes_its_fill) {
  int64_t n = 3, T = 4;
  cn_model *a = toy_new(n, true);
  cn_array *u = seq(T, n, CN_FLOAT32, 0);
  const char *names[1] = {"u"};
  const cn_array *seqs[1] = {u};
  const char *rec[] = {"x"};
  cn_run_opts o = CN_RUN_OPTS_INIT;
  o.record = rec, o.nrecord = 1;
  cn_array *out[1];
  CHECK_OK(cn_run_inputs(a, 1, names, seqs, &o, out));
  /* u = -3 everywhere: x_t = t * (0.5 * -3 + 0.25) */
  for (int64_t t = 0; t < T; t++)
    CHECK_NEAR(cn_array_getd(out[0], t * n), (double)(t + 1) * -1.25, 1e-6);
  cn_array_release(out[0]);
  /* a single array goes to the one required input */
  CHECK_OK(cn_model_reset(a));
  CHECK_OK(cn_run(a, u, &o, out));
  CHECK_NEAR(cn_array_getd(out[0], (T - 1) * n), T * -1.25, 1e-6);
  cn_array_release(out[0]);
  cn_array_release(u);
  cn_model_release(a);
}

static void expect_error(cn_model *m, int n, const char **names, const cn_array **seqs,
                         const char *needle) {
  const char *rec[] = {"x"};
  cn_run_opts o = CN_RUN_OPTS_INIT;
  o.record = rec, o.nrecord = 1;
  cn_array *out[1] = {(cn_array *)1};
  CHECK(cn_run_inputs(m, n, names, seqs, &o, out) != CN_OK);
  CHECK(out[0] == NULL);
  if (!strstr(cn_errmsg(), needle)) {
    fprintf(stderr, "message '%s' lacks '%s'\n", cn_errmsg(), needle);
    CHECK(0);
  }
}

TEST(bad_named_inputs) {
  int64_t n = 4;
  cn_model *m = toy_new(n, false);
  cn_array *u = seq(10, n, CN_FLOAT32, 1), *b = seq(9, 1, CN_FLOAT32, 1),
           *wrong = seq(10, n + 1, CN_FLOAT32, 1);
  const char *nm[2] = {"u", "b"};
  const cn_array *sq[2] = {u, b};
  expect_error(m, 2, nm, sq, "has 9 time steps but input 'u' has 10");
  const char *unk[1] = {"velocity"};
  expect_error(m, 1, unk, sq, "no input 'velocity' (it takes: u, b)");
  expect_error(m, 1, nm, sq, "needs input 'b'");
  const char *twice[2] = {"u", "u"};
  const cn_array *sq2[2] = {u, u};
  expect_error(m, 2, twice, sq2, "given twice");
  const cn_array *sqw[1] = {wrong};
  expect_error(m, 1, nm, sqw, "input 'u' for Toy must have shape {T, 4}");
  /* the single-array form needs a model with one required input */
  cn_run_opts o = CN_RUN_OPTS_INIT;
  cn_array *out[1];
  CHECK(cn_run(m, u, &o, out) != CN_OK);
  CHECK(strstr(cn_errmsg(), "takes 2 named inputs (u, b)") != NULL);
  CHECK(cn_model_step(m, u) != CN_OK);
  /* declaring inputs: distinct names, a sane count */
  cn_model_input dup[2] = {{"u", 1, {n}, 0, false, 0}, {"u", 1, {1}, 0, false, 0}};
  CHECK(cn_model_set_inputs(m, 2, dup) != CN_OK);
  CHECK(cn_model_set_inputs(m, 0, dup) != CN_OK);
  CHECK(cn_model_set_inputs(m, CN_MAX_INPUTS + 1, dup) != CN_OK);
  CHECK(m->ninputs == 2 && strcmp(m->inputs[1].name, "b") == 0);
  cn_array_release(u);
  cn_array_release(b);
  cn_array_release(wrong);
  cn_model_release(m);
}

/* cn_model_param_lookup: the shared name -> value table of the models'
 * `param` slots (first match wins; an unknown name names the class). */
TEST(param_lookup) {
  cn_model *m = toy_new(3, false);
  const cn_param_value t[] = {{"tau", 1.5}, {"k", -2.0}, {"tau", 9.0}};
  double v = 0;
  CHECK_OK(cn_model_param_lookup(m, t, 3, "k", &v));
  CHECK(v == -2.0);
  CHECK_OK(cn_model_param_lookup(m, t, 3, "tau", &v));
  CHECK(v == 1.5);
  v = 7;
  CHECK(cn_model_param_lookup(m, t, 1, "k", &v) == CN_EINVAL);
  CHECK(v == 7);
  CHECK(strcmp(cn_errmsg(), "Toy has no parameter 'k'") == 0);
  CHECK(cn_model_param_lookup(m, t, 0, "tau", &v) == CN_EINVAL);
  cn_model_release(m);
}

int main(void) {
  RUN(param_lookup);
  RUN(run_inputs_matches_stepping);
  RUN(optional_input_takes_its_fill);
  RUN(bad_named_inputs);
  return test_summary();
}
