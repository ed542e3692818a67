import { Duration } from 'cdk8s';
import { toGoDuration } from '../../src/core/duration';

test('durations render with the largest exact unit', () => {
  expect([Duration.hours(1), Duration.minutes(10), Duration.seconds(90), Duration.millis(250), Duration.seconds(0)].map(toGoDuration))
    .toEqual(['1h', '10m', '90s', '250ms', '0s']);
  expect(toGoDuration(Duration.minutes(90))).toBe('90m');
});
