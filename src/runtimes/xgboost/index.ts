/** The XGBoost runtime: `XgboostModel` and its factory for the 'xgboost' model format. */
export { XGBOOST_INPUT, XGBOOST_OUTPUT, XGBOOST_PLATFORM, XgboostModel, createXgboostModel } from './xgboost-model.ts';
export { XGBOOST_EXTENSIONS } from './model-file.ts';
export { SUPPORTED_OBJECTIVES } from './objective.ts';
