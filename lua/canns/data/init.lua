--- Data sets and readers (upstream `canns.data`): the registry of
-- upstream's example data sets and their downloads
-- (`canns.data.datasets`), the generic `load`, and the readers of ROI
-- traces, grid-cell sessions and Left-Right sessions
-- (`canns.data.loaders`).
--
--     local data = require "canns.data"          -- also canns.data
--     data.list_datasets()
--     local s = data.load_grid_data()             -- grid_1, downloaded once
--     local z = data.load("session.npz")          -- any .npz/.npy/.txt/.csv/.json
--
-- See docs/lua-api.md ("Data sets") for the folders, the environment
-- variables and the download behaviour.
-- @module canns.data

local datasets = require "canns.data.datasets"
local loaders = require "canns.data.loaders"

local M = {datasets = datasets, loaders = loaders}

for _, k in ipairs({"DATASETS", "HUGGINGFACE_REPO", "DEFAULT_DATA_DIR", "HF_ENDPOINT", "BASE_URL",
                    "HF_MIRRORS", "LEFT_RIGHT_DATASET_DIR",
                    "get_data_dir", "list_datasets", "download_dataset", "get_dataset_path",
                    "get_left_right_data_session", "get_left_right_npz", "quick_setup",
                    "load", "load_file", "detect_file_type", "compute_file_hash",
                    "download_file_with_progress", "build_download_urls"}) do
  M[k] = assert(datasets[k], k)
end
for _, k in ipairs({"load_roi_data", "load_grid_data", "load_left_right_npz", "validate_roi_data",
                    "validate_grid_data", "preprocess_spike_data", "get_data_summary"}) do
  M[k] = assert(loaders[k], k)
end

return M
