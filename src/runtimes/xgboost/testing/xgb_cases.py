"""Trains one small XGBoost model per objective/booster with the system's python3-xgboost and
writes, into OUT: CASE.{json,ubj,bst}, CASE.pred and CASE.margin (Booster.predict on the case's
rows, plain and output_margin=True), and the rows (X.csv; catX.csv for the categorical case).
Used by python-crosscheck.test.ts:  /usr/bin/python3 xgb_cases.py OUT
"""
import sys
import numpy as np
import xgboost as xgb

out = sys.argv[1]
rng = np.random.default_rng(1)
X = rng.normal(size=(300, 5)).astype(np.float32)
X[rng.random(X.shape) < 0.15] = np.nan  # missing values throughout
yreg = np.nan_to_num(X[:, 0]) * 2 + rng.normal(size=300)
ybin = (yreg > 0).astype(float)
ypos = np.exp(yreg / 3)
ycls = (np.nan_to_num(X[:, 1]) > 0).astype(int) + (np.nan_to_num(X[:, 2]) > 0.5).astype(int)
ymt = np.stack([np.nan_to_num(X[:, 0]), np.nan_to_num(X[:, 1]) * 2, rng.normal(size=300)], axis=1)
cases = {
    'sq': ({'objective': 'reg:squarederror'}, yreg),
    'logistic': ({'objective': 'reg:logistic', 'base_score': 0.3}, ybin),
    'binlogistic': ({'objective': 'binary:logistic'}, ybin),
    'logitraw': ({'objective': 'binary:logitraw', 'base_score': 0.2}, ybin),
    'hinge': ({'objective': 'binary:hinge'}, ybin),
    'softprob': ({'objective': 'multi:softprob', 'num_class': 3}, ycls),
    'softmax': ({'objective': 'multi:softmax', 'num_class': 3}, ycls),
    'poisson': ({'objective': 'count:poisson'}, ypos),
    'gamma': ({'objective': 'reg:gamma'}, ypos),
    'tweedie': ({'objective': 'reg:tweedie'}, ypos),
    'huber': ({'objective': 'reg:pseudohubererror'}, yreg),
    'abs': ({'objective': 'reg:absoluteerror'}, yreg),
    'cox': ({'objective': 'survival:cox'}, yreg),
    'pairwise': ({'objective': 'rank:pairwise'}, ycls),
    'ndcg': ({'objective': 'rank:ndcg'}, ycls),
    'map': ({'objective': 'rank:map'}, (ycls > 0).astype(int)),
    'dart': ({'booster': 'dart', 'objective': 'binary:logistic', 'rate_drop': 0.5, 'skip_drop': 0}, ybin),
    'linear': ({'booster': 'gblinear', 'objective': 'reg:squarederror'}, yreg),
    'linear3': ({'booster': 'gblinear', 'objective': 'multi:softprob', 'num_class': 3}, ycls),
    'multitarget': ({'tree_method': 'hist', 'objective': 'reg:squarederror'}, ymt),
}
np.savetxt(f'{out}/X.csv', X, delimiter=',')


def save(b, name, rows, formats, **dm):
    for ext in formats:
        b.save_model(f'{out}/{name}.{ext}')
    d = xgb.DMatrix(rows, **dm)
    np.savetxt(f'{out}/{name}.pred', b.predict(d).reshape(len(rows), -1), delimiter=',')
    np.savetxt(f'{out}/{name}.margin', b.predict(d, output_margin=True).reshape(len(rows), -1), delimiter=',')


for name, (params, y) in cases.items():
    d = xgb.DMatrix(X, label=y)
    if params['objective'].startswith('rank:'):
        d.set_group([30] * 10)
    b = xgb.train({**params, 'nthread': 1, 'max_depth': 4, 'verbosity': 0}, d, 8)
    save(b, name, X, ['json', 'ubj'] if name == 'multitarget' else ['json', 'ubj', 'bst'])

# Categorical splits (feature 0), with invalid categories (negative, unseen, non-integer) in the rows.
Xc = X.copy()
Xc[:, 0] = rng.integers(0, 12, 300)
Xc[rng.random(300) < 0.1, 0] = np.nan
types = ['c', 'q', 'q', 'q', 'q']
b = xgb.train({'tree_method': 'hist', 'max_cat_to_onehot': 1, 'max_depth': 4, 'nthread': 1, 'verbosity': 0},
              xgb.DMatrix(Xc, label=yreg + np.nan_to_num(Xc[:, 0]) % 3, feature_types=types, enable_categorical=True), 8)
Xc[:5, 0] = [-1, 15, 40, 3.7, 100]
np.savetxt(f'{out}/catX.csv', Xc, delimiter=',')
save(b, 'cat', Xc, ['json', 'ubj'], feature_types=types, enable_categorical=True)
