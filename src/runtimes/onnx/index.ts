/** The ONNX runtime: `OnnxModel` and its factory for the 'onnx' model format. */
export { ONNX_PLATFORM, OnnxModel, type OnnxModelOptions, createOnnxModel } from './onnx-model.ts';
