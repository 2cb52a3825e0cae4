/* canns — GIF animations through giflib: GIF89a, one local colour table
 * per frame (quantize.c), a graphics-control block carrying the real
 * frame delay, and the NETSCAPE2.0 extension for looping.  The file is
 * written to a temporary name and renamed when closed.
 *
 * Delays are whole centiseconds; frame i gets the difference of the
 * rounded running total, so 30 fps alternates 3 and 4 cs and the file
 * lasts exactly nframes/fps seconds.  (The Python toolkit hands imageio
 * 1/fps as milliseconds, so its GIFs carry a 0 delay.)
 */
#include <errno.h>
#include <gif_lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/fileutil.h"
#include "plot/internal.h"

struct cn_gif {
  cn_atomic_file file;
  GifFileType *gif;
  int w, h;
  int64_t frames;
  bool failed;
};

static int write_cb(GifFileType *g, const GifByteType *data, int len) {
  FILE *fp = g->UserData;
  return (int)fwrite(data, 1, (size_t)len, fp);
}

int cn_gif_delay_cs(double fps, int64_t i) {
  if (!(fps > 0)) return 0;
  double a = nearbyint(100.0 * (double)i / fps), b = nearbyint(100.0 * (double)(i + 1) / fps);
  int d = (int)(b - a);
  return d < 0 ? 0 : d > 65535 ? 65535 : d;
}

cn_status cn_gif_open(cn_gif **out, const char *path, int width, int height, int loop) {
  if (width < 1 || height < 1 || width > 65535 || height > 65535)
    return cn_error(CN_EINVAL, "GIF size must be 1..65535 pixels, got %d x %d", width, height);
  if (loop < -1 || loop > 65535)
    return cn_error(CN_EINVAL, "GIF loop count must be -1..65535, got %d", loop);
  CN_TRY(pl_prepare_output(path));
  cn_gif *g = calloc(1, sizeof *g);
  if (!g) return cn_error(CN_ENOMEM, "out of memory");
  cn_status s = cn_atomic_begin(&g->file, path);
  if (s != CN_OK) {
    free(g);
    return s;
  }
  int err = 0;
  g->gif = EGifOpen(g->file.fp, write_cb, &err);
  if (!g->gif) {
    cn_atomic_abort(&g->file);
    free(g);
    return cn_error(CN_EIO, "cannot start GIF '%s': %s", path, GifErrorString(err));
  }
  g->w = width, g->h = height;
  EGifSetGifVersion(g->gif, true);
  if (EGifPutScreenDesc(g->gif, width, height, 8, 0, NULL) != GIF_OK) goto fail;
  if (loop >= 0) {
    unsigned char params[3] = {1, (unsigned char)(loop & 0xff), (unsigned char)(loop >> 8)};
    if (EGifPutExtensionLeader(g->gif, APPLICATION_EXT_FUNC_CODE) != GIF_OK ||
        EGifPutExtensionBlock(g->gif, 11, "NETSCAPE2.0") != GIF_OK ||
        EGifPutExtensionBlock(g->gif, 3, params) != GIF_OK ||
        EGifPutExtensionTrailer(g->gif) != GIF_OK)
      goto fail;
  }
  *out = g;
  return CN_OK;
fail:
  err = g->gif->Error;
  EGifCloseFile(g->gif, NULL);
  cn_atomic_abort(&g->file);
  free(g);
  return cn_error(CN_EIO, "cannot write GIF '%s': %s", path, GifErrorString(err));
}

/* An in-memory GIF stream (giflib writes each frame's blocks into it). */
typedef struct membuf {
  uint8_t *data;
  size_t len, cap;
  bool failed;
} membuf;

static int mem_cb(GifFileType *g, const GifByteType *data, int len) {
  membuf *m = g->UserData;
  if (m->len + (size_t)len > m->cap) {
    size_t cap = m->cap ? m->cap : 65536;
    while (cap < m->len + (size_t)len) cap *= 2;
    uint8_t *p = realloc(m->data, cap);
    if (!p) return m->failed = true, 0;
    m->data = p, m->cap = cap;
  }
  memcpy(m->data + m->len, data, (size_t)len);
  m->len += (size_t)len;
  return len;
}

cn_status pl_gif_encode(const pl_gif_frame *f, int w, int h, int delay_cs, uint8_t **bytes,
                        size_t *len) {
  /* giflib encodes the frame into a private stream (graphics-control
   * block, image descriptor, local colour table, LZW data); the screen
   * header before and the trailer after are dropped, leaving the frame's
   * blocks for the file.  Each call owns its encoder, so frames encode
   * in parallel. */
  membuf m = {NULL, 0, 0, false};
  int err = 0;
  GifFileType *gif = EGifOpen(&m, mem_cb, &err);
  if (!gif) return cn_error(CN_ENOMEM, "cannot start a GIF encoder: %s", GifErrorString(err));
  EGifSetGifVersion(gif, true);
  int ok = EGifPutScreenDesc(gif, w, h, 8, 0, NULL) == GIF_OK;
  size_t start = m.len;
  GraphicsControlBlock gcb = {DISPOSAL_UNSPECIFIED, false, delay_cs, NO_TRANSPARENT_COLOR};
  GifByteType ext[4];
  size_t elen = EGifGCBToExtension(&gcb, ext);
  int ncol = 2;
  while (ncol < f->ncolors) ncol *= 2;
  GifColorType colors[256];
  memset(colors, 0, sizeof colors);
  for (int i = 0; i < f->ncolors; i++)
    colors[i].Red = f->palette[i][0], colors[i].Green = f->palette[i][1],
    colors[i].Blue = f->palette[i][2];
  ColorMapObject *map = GifMakeMapObject(ncol, colors);
  ok = ok && map && EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, (int)elen, ext) == GIF_OK &&
       EGifPutImageDesc(gif, 0, 0, w, h, false, map) == GIF_OK;
  GifFreeMapObject(map);
  for (int y = 0; ok && y < h; y++)
    ok = EGifPutLine(gif, f->index + (size_t)y * w, w) == GIF_OK;
  err = gif->Error;
  if (EGifCloseFile(gif, NULL) != GIF_OK) ok = 0;
  if (!ok || m.failed || m.len < start + 1) {
    free(m.data);
    return cn_error(m.failed ? CN_ENOMEM : CN_EINTERNAL, "cannot encode a GIF frame: %s",
                    m.failed ? "out of memory" : GifErrorString(err));
  }
  /* drop the trailer byte (';') */
  size_t n = m.len - 1 - start;
  memmove(m.data, m.data + start, n);
  *bytes = m.data, *len = n;
  return CN_OK;
}

cn_status pl_gif_write_encoded(cn_gif *g, const uint8_t *bytes, size_t len) {
  if (g->failed) return cn_error(CN_EIO, "GIF writer already failed");
  if (fwrite(bytes, 1, len, g->file.fp) != len) {
    g->failed = true;
    return cn_error(CN_EIO, "cannot write GIF frame to '%s': %s", g->file.path,
                    strerror(errno));
  }
  g->frames++;
  return CN_OK;
}

cn_status pl_gif_write(cn_gif *g, const pl_gif_frame *f, int delay_cs) {
  uint8_t *bytes;
  size_t len;
  CN_TRY(pl_gif_encode(f, g->w, g->h, delay_cs, &bytes, &len));
  cn_status s = pl_gif_write_encoded(g, bytes, len);
  free(bytes);
  return s;
}

cn_status cn_gif_add_rgb(cn_gif *g, const uint8_t *rgb, int delay_cs) {
  if (delay_cs < 0 || delay_cs > 65535)
    return cn_error(CN_EINVAL, "GIF delay must be 0..65535 cs, got %d", delay_cs);
  size_t n = (size_t)g->w * g->h;
  pl_gif_frame f;
  f.index = malloc(n);
  uint32_t *px = malloc(n * 4);
  if (!f.index || !px) {
    free(f.index), free(px);
    return cn_error(CN_ENOMEM, "out of memory for a GIF frame");
  }
  for (size_t i = 0; i < n; i++)
    px[i] = (uint32_t)rgb[3 * i] << 16 | (uint32_t)rgb[3 * i + 1] << 8 | rgb[3 * i + 2];
  cn_status s = pl_gif_quantize(px, g->w, g->h, &f);
  if (s == CN_OK) s = pl_gif_write(g, &f, delay_cs);
  free(f.index), free(px);
  return s;
}

cn_status cn_gif_close(cn_gif *g) {
  if (!g) return CN_OK;
  cn_status s = CN_OK;
  if (g->frames == 0 && !g->failed) s = cn_error(CN_EINVAL, "a GIF needs at least one frame");
  int err = 0;
  if (EGifCloseFile(g->gif, &err) != GIF_OK && s == CN_OK && !g->failed)
    s = cn_error(CN_EIO, "cannot finish GIF '%s': %s", g->file.path, GifErrorString(err));
  if (g->failed && s == CN_OK) s = cn_error(CN_EIO, "GIF '%s' was not written", g->file.path);
  if (s == CN_OK) s = cn_atomic_commit(&g->file);
  else cn_atomic_abort(&g->file);
  free(g);
  return s;
}

void cn_gif_abort(cn_gif *g) {
  if (!g) return;
  EGifCloseFile(g->gif, NULL);
  cn_atomic_abort(&g->file);
  free(g);
}

/* ------------------------------------------------------------ reading */

static cn_status slurp(const char *path, GifFileType **out) {
  int err = 0;
  GifFileType *gif = DGifOpenFileName(path, &err);
  if (!gif) return cn_error(CN_EIO, "cannot open GIF '%s': %s", path, GifErrorString(err));
  if (DGifSlurp(gif) != GIF_OK) {
    err = gif->Error;
    DGifCloseFile(gif, NULL);
    return cn_error(CN_EFORMAT, "cannot read GIF '%s': %s", path, GifErrorString(err));
  }
  *out = gif;
  return CN_OK;
}

cn_status cn_gif_read_info(const char *path, cn_gif_info *info) {
  GifFileType *gif;
  CN_TRY(slurp(path, &gif));
  memset(info, 0, sizeof *info);
  info->width = gif->SWidth, info->height = gif->SHeight;
  info->nframes = gif->ImageCount;
  info->loop = -1;
  for (int i = 0; i < gif->ImageCount; i++) {
    GraphicsControlBlock gcb;
    if (i < 64 && DGifSavedExtensionToGCB(gif, i, &gcb) == GIF_OK)
      info->delays_cs[i] = gcb.DelayTime;
    const SavedImage *im = &gif->SavedImages[i];
    for (int k = 0; k + 1 < im->ExtensionBlockCount; k++) {
      const ExtensionBlock *e = &im->ExtensionBlocks[k];
      if (e->Function == APPLICATION_EXT_FUNC_CODE && e->ByteCount == 11 &&
          memcmp(e->Bytes, "NETSCAPE2.0", 11) == 0 && im->ExtensionBlocks[k + 1].ByteCount >= 3) {
        const unsigned char *p = im->ExtensionBlocks[k + 1].Bytes;
        info->loop = p[1] | p[2] << 8;
      }
    }
  }
  DGifCloseFile(gif, NULL);
  return CN_OK;
}

cn_status cn_gif_read_frame(const char *path, int i, uint8_t **rgb, int *width, int *height) {
  GifFileType *gif;
  CN_TRY(slurp(path, &gif));
  if (i < 0 || i >= gif->ImageCount) {
    int n = gif->ImageCount;
    DGifCloseFile(gif, NULL);
    return cn_error(CN_ERANGE, "GIF '%s' has %d frames, asked for frame %d", path, n, i + 1);
  }
  int w = gif->SWidth, h = gif->SHeight;
  uint8_t *buf = calloc((size_t)w * h, 3);
  if (!buf) {
    DGifCloseFile(gif, NULL);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  const SavedImage *im = &gif->SavedImages[i];
  const ColorMapObject *map = im->ImageDesc.ColorMap ? im->ImageDesc.ColorMap : gif->SColorMap;
  const GifImageDesc *d = &im->ImageDesc;
  for (int y = 0; map && y < d->Height; y++)
    for (int x = 0; x < d->Width; x++) {
      int X = d->Left + x, Y = d->Top + y;
      if (X >= w || Y >= h) continue;
      int c = im->RasterBits[(size_t)y * d->Width + x];
      if (c >= map->ColorCount) continue;
      uint8_t *q = buf + ((size_t)Y * w + X) * 3;
      q[0] = map->Colors[c].Red, q[1] = map->Colors[c].Green, q[2] = map->Colors[c].Blue;
    }
  DGifCloseFile(gif, NULL);
  *rgb = buf, *width = w, *height = h;
  return CN_OK;
}
