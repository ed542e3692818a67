import { instance, mapOf, open, required, Shape } from './struct-shape';

/**
 * The shape of a cdk8s-plus `ContainerProps` where this library takes containers (a `JobAnalysis`'s, a Rollout pod
 * template's): the keys whose values are rendered as they are are type-checked, so a plain-JS or Python caller's
 * `command: "curl"` or `args: [new Date()]` is a ValidationError naming the key, not a TypeError ("this._command is
 * not iterable") or cdk8s's "can't render non-simple object" at synth. Open: the struct belongs to cdk8s-plus, which
 * owns its other keys (probes, resources, security context…) and their checks.
 *
 * @internal
 */
export const CONTAINER_PROPS: Shape = open({
  image: required('string'),
  name: 'string',
  command: ['string'],
  args: ['string'],
  workingDir: 'string',
  portNumber: 'number',
  envVariables: mapOf(instance('EnvValue', 'EnvValue.fromValue("x")')),
});
