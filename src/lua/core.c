/* canns — the `canns.core` C module: one table holding every binding.
 * Each area of the library adds its functions through its opener; the
 * Lua package (lua/canns/init.lua) arranges them into the public tree. */
#include "lua/cnlua.h"

void cnL_open_ops(lua_State *L);
void cnL_open_spatial(lua_State *L);
void cnL_open_image(lua_State *L);
void cnL_open_cellc(lua_State *L);
void cnL_open_matio(lua_State *L);
void cnL_open_btn(lua_State *L);
void cnL_open_gallery(lua_State *L);
void cnL_open_curses(lua_State *L);
void cnL_open_files(lua_State *L);
void cnL_open_roibumps(lua_State *L);
void cnL_open_asa_anim(lua_State *L);
void cnL_open_download(lua_State *L);
void cnL_open_npz_raw(lua_State *L);
void cnL_open_stats(lua_State *L);
void cnL_open_gridmod(lua_State *L);

int cnL_open(lua_State *L) {
  lua_newtable(L);
  cnL_open_array(L);
  cnL_open_ops(L);
  cnL_open_random(L);
  cnL_open_sys(L);
  cnL_open_io(L);
  cnL_open_plot(L);
  cnL_open_models(L);
  cnL_open_tda(L);
  cnL_open_db(L);
  cnL_open_proc(L);
  cnL_open_spatial(L); /* environments, agents, navigation helpers */
  cnL_open_image(L);   /* 2-D image primitives (autocorrelation, rotation) */
  cnL_open_asa(L);
  cnL_open_roibumps(L); /* fly ROI bump fits, into core.asa (l_roibumps.c) */
  cnL_open_asa_anim(L); /* bump animation maps, into core.asa (l_asa_anim.c) */
  cnL_open_learn(L);   /* learning rules (l_learn.c) */
  cnL_open_linalg(L);  /* eigh, eig (l_linalg.c) */
  cnL_open_slowpts(L); /* tanh RNN and fixed-point finder kernels (l_slowpts.c) */
  cnL_open_cellc(L);   /* cell classification kernels (gridness, contours, rate maps) */
  cnL_open_matio(L);   /* MATLAB .mat files (l_matio.c, libmatio) */
  cnL_open_btn(L);     /* BTN classification kernels (l_btn.c) */
  cnL_open_gallery(L); /* the model gallery's 2-D bump decoder */
  cnL_open_curses(L);  /* the terminal UIs' screen (ncursesw) */
  cnL_open_files(L);   /* atomic text files and content hashes (l_files.c) */
  cnL_open_download(L); /* downloads (libcurl) and SHA-256 (l_download.c) */
  cnL_open_npz_raw(L);  /* raw .npz members, arrays from bytes (l_npz_raw.c) */
  cnL_open_stats(L);    /* pearsonr, spearmanr (l_stats.c) */
  cnL_open_gridmod(L);  /* grid modules: kNN graph, Leiden (l_gridmod.c) */
  /* openers of later areas (one line each) */
  return 1;
}
