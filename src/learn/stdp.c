/* canns — the leaky integrate-and-fire layer with traces (upstream
 * `canns.models.brain_inspired.SpikingLayer.forward`) and trace-based STDP
 * over a sequence (upstream `canns.trainer.STDPTrainer`, compiled path),
 * the whole time loop in C. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "canns/learn.h"
#include "learn/learn_internal.h"

static cn_status check_lif(const cn_array *W, const cn_array *X, const cn_array *v,
                           const cn_array *tpre, const cn_array *tpost,
                           const cn_array *spike, const char *fn, int64_t *T) {
  CN_TRY(learn_check_f32(W, fn, "W", 2, NULL));
  int64_t out = W->shape[0], in = W->shape[1];
  if (!X) return cn_error(CN_EINVAL, "%s: inputs are missing", fn);
  if (X->ndim == 1) {
    int64_t xs[1] = {in};
    CN_TRY(learn_check_f32(X, fn, "input", 1, xs));
    *T = 1;
  } else {
    int64_t xs[2] = {-1, in};
    CN_TRY(learn_check_f32(X, fn, "inputs", 2, xs));
    *T = X->shape[0];
  }
  int64_t so[1] = {out}, si[1] = {in};
  CN_TRY(learn_check_f32(v, fn, "v", 1, so));
  CN_TRY(learn_check_f32(tpre, fn, "trace_pre", 1, si));
  CN_TRY(learn_check_f32(tpost, fn, "trace_post", 1, so));
  if (spike) CN_TRY(learn_check_f32(spike, fn, "spike", 1, so));
  return CN_OK;
}

/* One step of the layer; spk receives 0/1. */
static inline void lif_step(const float *w, const float *x, int64_t out, int64_t in,
                            const cn_lif_params *p, float *v, float *tpre,
                            float *tpost, float *spk, const int64_t *nz, int64_t m) {
  float d = (float)p->trace_decay, leak = (float)p->leak;
  float thr = (float)p->threshold, vr = (float)p->v_reset;
  for (int64_t j = 0; j < in; j++) tpre[j] = d * tpre[j] + x[j];
  for (int64_t i = 0; i < out; i++) {
    float vi = leak * v[i] + (nz ? learn_sdot_sparse(w + i * in, x, nz, m, in)
                                  : learn_sdot(w + i * in, x, in));
    float s = vi >= thr ? 1.0f : 0.0f;
    v[i] = s > 0.0f ? vr : vi;
    tpost[i] = d * tpost[i] + s;
    spk[i] = s;
  }
}

cn_status cn_lif_forward(const cn_array *W, const cn_array *X,
                         const cn_lif_params *p, cn_array *v,
                         cn_array *trace_pre, cn_array *trace_post,
                         cn_array *spike, cn_array *spikes) {
  const char *fn = "lif_forward";
  int64_t T;
  CN_TRY(check_lif(W, X, v, trace_pre, trace_post, spike, fn, &T));
  int64_t out = W->shape[0], in = W->shape[1];
  if (spikes) {
    int64_t ss[2] = {T, out};
    CN_TRY(learn_check_f32(spikes, fn, "spikes", 2, ss));
  }
  float *tmp = malloc((size_t)(out ? out : 1) * sizeof *tmp);
  if (!tmp) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  for (int64_t t = 0; t < T; t++) {
    float *spk = spikes ? cn_f32(spikes) + t * out : tmp;
    lif_step(cn_f32(W), cn_f32(X) + t * in, out, in, p, cn_f32(v), cn_f32(trace_pre),
             cn_f32(trace_post), spk, NULL, 0);
    if (spike && t == T - 1) memcpy(spike->data, spk, (size_t)out * sizeof *spk);
  }
  free(tmp);
  return CN_OK;
}

/* The rows [i0, i1) of the whole sequence: each output neuron's row of W,
 * v, trace_post and spike depend only on the input sequence, so a thread
 * that owns a block of rows (and keeps its own copy of the presynaptic
 * trace) runs every step without waiting for the others; the numbers are
 * those of one thread. */
/* AVX2 where the processor has it (the same arithmetic, wider lanes) */
__attribute__((target_clones("avx2", "default")))
static void stdp_rows(float *w, const float *X, int64_t T, int64_t out, int64_t in,
                      int64_t i0, int64_t i1, const cn_lif_params *p,
                      const cn_stdp_params *s, bool finite, float *v, float *tpre,
                      float *tpost, float *spk, int64_t *nz) {
  (void)out;
  int64_t *lz = nz + (in ? in : 1); /* nz by lane (sparse steps) */
  int64_t *pidx = lz + (in ? in : 1); /* the lanes interleaved (8 * in) */
  float d = (float)p->trace_decay, leak = (float)p->leak;
  float thr = (float)p->threshold, vr = (float)p->v_reset;
  float lr = (float)s->learning_rate, ap = (float)s->A_plus, am = (float)s->A_minus;
  float lo = (float)s->w_min, hi = (float)s->w_max;
  const bool ordered = lo <= hi;
  for (int64_t t = 0; t < T; t++) {
    const float *x = X + t * in;
    int64_t m = 0;
    for (int64_t j = 0; j < in; j++) {
      tpre[j] = d * tpre[j] + x[j];
      if (x[j] != 0.0f) nz[m++] = j;
    }
    /* from step 1 on W is clipped to [w_min, w_max]: finite when they are */
    bool sparse = t > 0 && finite && isfinite(lo) && isfinite(hi) && m < in / 2;
    int64_t off[9] = {0}, rows = 0;
    if (sparse) { /* the inputs that fired, by lane of the dense dot product */
      int64_t n8 = in - in % 8, cnt[9] = {0};
      for (int64_t k = 0; k < m; k++) cnt[nz[k] < n8 ? (nz[k] & 7) : 8]++;
      for (int l = 0; l < 8; l++) off[l + 1] = off[l] + cnt[l];
      int64_t pos[9];
      for (int l = 0; l < 9; l++) pos[l] = l < 9 ? off[l < 8 ? l : 8] : 0;
      for (int64_t k = 0; k < m; k++) {
        int l = nz[k] < n8 ? (int)(nz[k] & 7) : 8;
        lz[pos[l]++] = nz[k];
      }
      /* the lanes side by side, padded with an input that did not fire */
      int64_t zero = 0;
      while (x[zero] != 0.0f) zero++; /* exists: m < in / 2 */
      rows = 0;
      for (int l = 0; l < 8; l++) rows = cnt[l] > rows ? cnt[l] : rows;
      for (int64_t r = 0; r < rows; r++)
        for (int l = 0; l < 8; l++) pidx[8 * r + l] = r < cnt[l] ? lz[off[l] + r] : zero;
    }
    for (int64_t i = i0; i < i1; i++) {
      float *wi = w + i * in;
      float vi = leak * v[i] + (sparse ? learn_sdot_padded(wi, x, pidx, rows, lz, off, m)
                                       : learn_sdot(wi, x, in));
      float sp = vi >= thr ? 1.0f : 0.0f;
      v[i] = sp > 0.0f ? vr : vi;
      tpost[i] = d * tpost[i] + sp;
      spk[i] = sp;
      /* lr (A+ spk_i tpre_j - A- tpost_i x_j), the products in upstream's
       * order: (A+ * spk_i) * tpre_j and (A- * tpost_i) * x_j. */
      float ltp = ap * sp, ltd = am * tpost[i];
      if (t > 0 && finite && ltp == 0.0f) {
        /* a silent neuron: only the inputs that fired change its row (for
         * the others the update adds zero to a weight already clipped at
         * step 0), so the same numbers as the full pass */
        for (int64_t k = 0; k < m; k++) {
          int64_t j = nz[k];
          float nv = wi[j] + lr * (ltp * tpre[j] - ltd * x[j]);
          /* the clip of the dense loop; with lo <= hi it equals
           * max(lo, min(hi, nv)) (NaN stays NaN), two selects without a
           * branch: after a few steps many weights sit at w_min and a
           * branch mispredicts */
          float c = nv > hi ? hi : nv;
          wi[j] = ordered ? (c < lo ? lo : c) : (nv < lo ? lo : c);
        }
        continue;
      }
      for (int64_t j = 0; j < in; j++) {
        float nv = wi[j] + lr * (ltp * tpre[j] - ltd * x[j]);
        wi[j] = nv < lo ? lo : (nv > hi ? hi : nv);
      }
    }
  }
}

cn_status cn_stdp_train(cn_array *W, const cn_array *X, const cn_lif_params *p,
                        const cn_stdp_params *s, cn_array *v,
                        cn_array *trace_pre, cn_array *trace_post,
                        cn_array *spike) {
  const char *fn = "stdp_train";
  int64_t T;
  CN_TRY(check_lif(W, X, v, trace_pre, trace_post, spike, fn, &T));
  int64_t out = W->shape[0], in = W->shape[1];
  float *spk = malloc((size_t)(out ? out : 1) * sizeof *spk);
  if (!spk) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  float *tpre = cn_f32(trace_pre);
  memset(cn_f32(v), 0, (size_t)out * sizeof(float));
  memset(tpre, 0, (size_t)in * sizeof(float));
  memset(cn_f32(trace_post), 0, (size_t)out * sizeof(float));
  memset(spk, 0, (size_t)out * sizeof *spk);
  /* The sparse update is exact only for finite inputs (0 * x = 0). */
  bool finite = true;
  for (int64_t k = 0; k < T * in && finite; k++) finite = isfinite(cn_f32(X)[k]);
  int failed = 0;
#pragma omp parallel if (T * out * in > 1000000 && out > 1) shared(failed)
  {
    int nth = omp_get_num_threads(), tid = omp_get_thread_num();
    int64_t i0 = out * tid / nth, i1 = out * (tid + 1) / nth;
    size_t nin = (size_t)(in ? in : 1);
    int64_t *nz = malloc(10 * nin * sizeof *nz);
    float *mine = tid == 0 ? tpre : calloc(nin, sizeof *mine);
    if (!nz || !mine) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp barrier
    /* a thread without memory stops them all before any row is touched */
    int any = 0;
#pragma omp atomic read
    any = failed;
    if (!any)
      stdp_rows(cn_f32(W), cn_f32(X), T, out, in, i0, i1, p, s, finite, cn_f32(v),
                mine, cn_f32(trace_post), spk, nz);
    free(nz);
    if (tid != 0) free(mine);
  }
  if (failed) {
    free(spk);
    return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  }
  if (spike) memcpy(spike->data, spk, (size_t)out * sizeof *spk);
  free(spk);
  return CN_OK;
}
