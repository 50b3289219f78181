"""XGBoost C++ (Debian's python3-xgboost 1.7.4, nthread=1) predicting a model on rows: the anchor of
the tree-runtime benchmark (bench/trees.ts). Prints one JSON line:
  {"rows_per_s": batch throughput, "batch": N, "p50_us": batch-1 Booster.predict latency, "calls": M}

  /usr/bin/python3 bench/anchors/xgb_predict.py MODEL ROWS.csv [--batch 10000] [--seconds 3] [--margin]
ROWS.csv: numeric rows (no header), one per line; they are repeated to fill the batch.
"""
import json, sys, time
import numpy as np
import xgboost as xgb

def main(argv):
    model, rows_csv = argv[0], argv[1]
    batch = int(argv[argv.index('--batch') + 1]) if '--batch' in argv else 10000
    seconds = float(argv[argv.index('--seconds') + 1]) if '--seconds' in argv else 3.0
    margin = '--margin' in argv
    rows = np.loadtxt(rows_csv, delimiter=',', ndmin=2).astype(np.float32)
    x = np.resize(rows, (batch, rows.shape[1]))
    booster = xgb.Booster(model_file=model)
    booster.set_param({'nthread': 1})
    # A fresh DMatrix per call: predicting the same DMatrix again answers from XGBoost's prediction
    # cache. (KServe's xgbserver also builds a DMatrix per request.)
    booster.predict(xgb.DMatrix(x, nthread=1), output_margin=margin)  # warm-up
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        booster.predict(xgb.DMatrix(x, nthread=1), output_margin=margin)
        n += 1
    rows_per_s = n * batch / (time.perf_counter() - t0)
    # batch 1, as KServe's xgbserver does per request: DMatrix from the row, then predict
    one = x[:1]
    lat = []
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        t = time.perf_counter()
        booster.predict(xgb.DMatrix(one, nthread=1), output_margin=margin)
        lat.append((time.perf_counter() - t) * 1e6)
    lat.sort()
    print(json.dumps({'rows_per_s': rows_per_s, 'batch': batch, 'p50_us': lat[len(lat) // 2], 'calls': len(lat)}))

if __name__ == '__main__':
    main(sys.argv[1:])
