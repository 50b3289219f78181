/** The LightGBM runtime: `LightgbmModel` and its factory for the 'lightgbm' model format. */
export { LIGHTGBM_INPUT, LIGHTGBM_OUTPUT, LIGHTGBM_PLATFORM, LightgbmModel, createLightgbmModel } from './lightgbm-model.ts';
export { LIGHTGBM_EXTENSIONS } from './model-file.ts';
export { SUPPORTED_OBJECTIVES } from './objective.ts';
export { SUPPORTED_VERSIONS } from './parse-model.ts';
export { isLightgbmJson } from './json-model.ts';
