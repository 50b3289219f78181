/** A transformer with no hooks of its own: every request goes to the predictor as it came. */
import { Transformer } from '../../src/index.ts';

export default class Passthrough extends Transformer {}
