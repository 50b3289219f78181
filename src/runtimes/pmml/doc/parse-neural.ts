/** Reads NeuralNetwork: inputs (DerivedFields), layers of neurons with connections, outputs. */
import { enumAttr, kids, numAttr, only, optAttr, reqAttr, reqKid } from './access.ts';
import { invalid, unsupported } from './errors.ts';
import { parseDerivedField } from './parse-fields.ts';
import type { Activation, ModelBase, NeuralLayer, NeuralNetwork } from './types.ts';
import type { XmlElement } from './xml.ts';

export const NEURAL_CHILDREN = ['NeuralInputs', 'NeuralLayer', 'NeuralOutputs'];

const ACTIVATIONS: readonly Activation[] = [
  'threshold', 'logistic', 'tanh', 'identity', 'exponential', 'reciprocal', 'square', 'Gauss', 'sine', 'cosine', 'Elliott', 'arctan', 'rectifier', 'radialBasis',
];

function activation(el: XmlElement, fallback: Activation): Activation {
  return enumAttr(el, 'activationFunction', ACTIVATIONS, fallback);
}

/** A width/altitude attribute of the Neuron, else of its NeuralLayer, else of the NeuralNetwork. */
function inherited(name: string, ...els: XmlElement[]): number | undefined {
  for (const el of els) if (optAttr(el, name) !== undefined) return numAttr(el, name);
  return undefined;
}

export function parseNeural(el: XmlElement, base: ModelBase): NeuralNetwork {
  const netActivation = activation(el, 'identity');
  if (optAttr(el, 'activationFunction') === undefined) throw invalid(el, 'attribute activationFunction is required');
  const netNorm = enumAttr(el, 'normalizationMethod', ['none', 'simplemax', 'softmax'] as const, 'none');
  const netThreshold = numAttr(el, 'threshold', 0);
  const ins = reqKid(el, 'NeuralInputs');
  only(ins, ['NeuralInput']);
  const inputs = kids(ins, 'NeuralInput').map((i) => ({ id: reqAttr(i, 'id'), field: parseDerivedField(reqKid(i, 'DerivedField')) }));
  const layers = kids(el, 'NeuralLayer').map((l): NeuralLayer => {
    only(l, ['Neuron']);
    const layerActivation = activation(l, netActivation);
    return {
      activation: layerActivation,
      threshold: numAttr(l, 'threshold', netThreshold),
      normalization: enumAttr(l, 'normalizationMethod', ['none', 'simplemax', 'softmax'] as const, netNorm),
      neurons: kids(l, 'Neuron').map((n) => {
        only(n, ['Con']);
        const neuron: NeuralLayer['neurons'][number] = { id: reqAttr(n, 'id'), bias: numAttr(n, 'bias', 0), cons: kids(n, 'Con').map((c) => ({ from: reqAttr(c, 'from'), weight: numAttr(c, 'weight') })) };
        if (layerActivation === 'radialBasis') {
          const width = inherited('width', n, l, el);
          if (width === undefined || !(width > 0)) throw invalid(n, 'a radialBasis neuron needs width > 0 (on the Neuron, its NeuralLayer or the NeuralNetwork)');
          const altitude = inherited('altitude', n, l, el) ?? 1;
          if (!(altitude > 0)) throw invalid(n, `altitude="${altitude}" must be > 0`);
          Object.assign(neuron, { width, altitude });
        }
        return neuron;
      }),
    };
  });
  if (layers.length === 0) throw invalid(el, 'at least one NeuralLayer is required');
  const outs = reqKid(el, 'NeuralOutputs');
  only(outs, ['NeuralOutput']);
  const outputs = kids(outs, 'NeuralOutput').map((o) => {
    const d = parseDerivedField(reqKid(o, 'DerivedField'));
    const out: NeuralNetwork['outputs'][number] = { neuron: reqAttr(o, 'outputNeuron'), expr: d.expr };
    if (d.expr.kind === 'normDiscrete') out.category = d.expr.value;
    else if (d.expr.kind !== 'fieldRef' && d.expr.kind !== 'normContinuous') throw unsupported(reqKid(o, 'DerivedField'), `NeuralOutput via ${d.expr.kind}`);
    return out;
  });
  return { ...base, kind: 'neural', inputs, layers, outputs };
}
