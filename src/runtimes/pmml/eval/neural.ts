/**
 * NeuralNetwork: a feed-forward pass. Each neuron computes Z = bias + Σ weight · input and its
 * layer's activation; a layer may then normalize (softmax, simplemax). Outputs: NormDiscrete
 * outputs are class probabilities; a FieldRef output is the value; a NormContinuous output is
 * mapped back through the inverse of its piecewise-linear normalization.
 *
 * radialBasis (PMML 4.4 NeuralNetwork; pmml4s computes the same): the bias is not used; with the
 * neuron's fan-in f (number of Con), Z = Σ (input_i − weight_i)² / (2·width²) and the output is
 * exp(f·ln(altitude) − Z) = altitude^f · e^−Z. E.g. inputs (1, 2), weights (0, 4), width 1,
 * altitude 2: Z = (1 + 4)/2 = 2.5, output = 2² · e^−2.5 ≈ 0.32834.
 */
import type { Activation, NeuralLayer, NeuralNetwork } from '../doc/types.ts';
import { type ModelResult, NO_PREDICTION, argmax } from './result.ts';
import type { FieldScope } from './scope.ts';
import { convert, toNumber } from './values.ts';
import { evalExpression, interpolate } from './expression.ts';

function activate(a: Activation, z: number, threshold: number): number {
  switch (a) {
    case 'threshold': return z > threshold ? 1 : 0;
    case 'logistic': return 1 / (1 + Math.exp(-z));
    case 'tanh': return Math.tanh(z);
    case 'identity': return z;
    case 'exponential': return Math.exp(z);
    case 'reciprocal': return 1 / z;
    case 'square': return z * z;
    case 'Gauss': return Math.exp(-(z * z));
    case 'sine': return Math.sin(z);
    case 'cosine': return Math.cos(z);
    case 'Elliott': return z / (1 + Math.abs(z));
    case 'arctan': return (2 * Math.atan(z)) / Math.PI;
    case 'rectifier': return Math.max(0, z);
    case 'radialBasis': return NaN; // never reached: radialBasis() computes these neurons from their connections
  }
}

function radialBasis(n: NeuralLayer['neurons'][number], values: ReadonlyMap<string, number>): number {
  let z = 0;
  for (const c of n.cons) z += ((values.get(c.from) ?? NaN) - c.weight) ** 2;
  const width = n.width ?? NaN;
  z /= 2 * width * width;
  return Math.exp(n.cons.length * Math.log(n.altitude ?? 1) - z);
}

export function evalNeural(model: NeuralNetwork, scope: FieldScope): ModelResult {
  const values = new Map<string, number>();
  for (const input of model.inputs) {
    const v = toNumber(convert(evalExpression(input.field.expr, scope), input.field.dataType) ?? null);
    if (v === undefined) return NO_PREDICTION;
    values.set(input.id, v);
  }
  for (const layer of model.layers) {
    const zs = layer.neurons.map((n) => {
      if (layer.activation === 'radialBasis') return radialBasis(n, values);
      let z = n.bias;
      for (const c of n.cons) z += c.weight * (values.get(c.from) ?? NaN);
      // Activation first, then the layer's normalization (as JPMML); the fixtures only pair softmax with identity.
      return activate(layer.activation, z, layer.threshold);
    });
    let outs = zs;
    if (layer.normalization === 'softmax') {
      const top = Math.max(...zs);
      const e = zs.map((z) => Math.exp(z - top));
      const s = e.reduce((a, b) => a + b, 0);
      outs = e.map((x) => x / s);
    } else if (layer.normalization === 'simplemax') {
      const s = zs.reduce((a, b) => a + b, 0);
      outs = zs.map((x) => x / s);
    }
    layer.neurons.forEach((n, i) => values.set(n.id, outs[i] as number));
  }
  if (model.functionName === 'regression') {
    const o = model.outputs[0];
    if (!o) return NO_PREDICTION;
    const y = values.get(o.neuron) ?? NaN;
    return { value: o.expr.kind === 'normContinuous' ? interpolate(y, o.expr.points, 1) : y };
  }
  const probs = new Map<string, number>();
  for (const o of model.outputs) if (o.category !== undefined) probs.set(o.category, values.get(o.neuron) ?? NaN);
  return { value: argmax(probs), probs };
}
