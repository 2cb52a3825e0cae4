--- Persistence barcodes of ASA (upstream `canns.analyzer.data.asa.tda`
-- `_plot_barcode` / `_plot_barcode_with_shuffle`).
-- @module canns.analyzer.data.asa.barcode

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

local GREEN = {0, 0.55, 0.2}

--- The q-th percentile (linear interpolation, numpy's default) of a list.
function M.percentile(list, q)
  return core.tda.percentile(list, q)
end

--- Draw the barcode of a persistence result.
--
-- One row of axes per dimension (labelled H0, H1, ...), the 30 longest bars
-- of each (infinite ones drawn to the largest finite death + 10 % of the
-- range); H0 bars by increasing length, higher dimensions by decreasing
-- birth.  With `shuffle_max` (a list per dimension, `shuffle_max[d+1]`),
-- a grey shadow of the dimension's 99.9th-percentile null lifetime starts
-- at each bar's birth (figure 10 x 8 instead of 10 x 6).
-- @tparam table persistence the `persistence` entry of `tda_vis` (or a table with `dgms`)
-- @tparam[opt] table shuffle_max null maxima per dimension
-- @tparam[opt] table opts `save_path`, `show` (false), `dpi` (200)
-- @return the figure
function M.plot_barcode(persistence, shuffle_max, opts)
  local fname = "plot_barcode"
  A.table(persistence, fname, 1, "persistence")
  local o = A.options(opts, fname, {"save_path", "show", "dpi", "title"})
  local dgms = A.table(persistence.dgms, fname, 1, "persistence.dgms")
  local nd = #dgms
  if nd < 1 then A.fail(fname, 1, "persistence", "has no diagrams") end
  local min_birth, max_death = 0, 0
  local bars = {}
  for d = 1, nd do
    local dg = dgms[d]
    local list = {}
    for i = 1, dg:shape(1) do
      local b, e = dg:get(i, 1), dg:get(i, 2)
      list[#list + 1] = {b, e, i}
      if e < math.huge then
        min_birth = math.min(min_birth, b, e)
        max_death = math.max(max_death, b, e)
      end
    end
    bars[d] = list
  end
  if shuffle_max and max_death == 0 and min_birth == 0 then max_death = 1 end
  local delta = (max_death - min_birth) * 0.1
  local infinity = max_death + delta
  local viz = require "canns.analyzer.visualization"
  local fig = viz.figure{figsize = shuffle_max and {10, 8} or {10, 6}}
  for d = 1, nd do
    local ax = fig:subplot(nd, 1, d)
    ax:set_yticks({})
    ax:set_ylabel("H" .. (d - 1), {fontsize = 12})
    local list = bars[d]
    for _, bar in ipairs(list) do
      if bar[2] == math.huge then bar[2] = infinity end
      bar[4] = bar[2] - bar[1]
    end
    -- 30 longest (ties: later index longer, as a stable argsort's tail)
    table.sort(list, function(a, b)
      if a[4] ~= b[4] then return a[4] < b[4] end
      return a[3] < b[3]
    end)
    local sel = {}
    for i = math.max(1, #list - 29), #list do sel[#sel + 1] = list[i] end
    if d > 1 then
      table.sort(sel, function(a, b)
        if a[1] ~= b[1] then return a[1] > b[1] end
        return a[3] > b[3]
      end)
    end
    local thr = 0
    if shuffle_max and shuffle_max[d] and #shuffle_max[d] > 0 then
      thr = M.percentile(shuffle_max[d], 99.9)
    end
    for i, bar in ipairs(sel) do
      local y = 0.5 + (i - 1)
      if shuffle_max and thr > 0 then
        local h = 0.45
        ax:fill({bar[1], bar[1] + thr, bar[1] + thr, bar[1]}, {y - h, y - h, y + h, y + h},
                {color = "gray", alpha = 0.35, linewidth = 0, zorder = 1})
      end
      local h = shuffle_max and 0.31 or 0.4
      ax:fill({bar[1], bar[2], bar[2], bar[1]}, {y - h, y - h, y + h, y + h},
              {color = GREEN, linewidth = 0, zorder = 2})
    end
    ax:plot({0, 0}, {0, #sel}, {color = "k", linewidth = 1})
    ax:plot({0, #sel}, {0, 0}, {color = "k", linewidth = 1})
    ax:set_xlim(min_birth - delta, infinity)
    ax:set_ylim(0, math.max(#sel, 1))
  end
  if o.title then fig:suptitle(o.title) end
  if o.save_path then fig:savefig(o.save_path, {dpi = o.dpi or 200}) end
  if o.show then
    local render = require "canns.analyzer.visualization.render"
    local path = o.save_path
    if not path then
      path = render.show_path(fname, "png")
      fig:savefig(path, {dpi = o.dpi or 200})
    end
    render.show_file(path, fname)
  end
  return fig
end

return M
