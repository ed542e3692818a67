export * from './progressive-delivery-stack';
export * from './rollouts-bootstrap';
