import { FederationAuthorization, FederationTls } from '../../src';

describe('FederationAuthorization and FederationTls', () => {
  test.each<[() => any, string]>([
    [() => FederationAuthorization.credentialsFile('token'), 'FederationAuthorization.credentialsFile: path is "token"; expected an absolute path'],
    [() => FederationAuthorization.credentialsFile('/t', 'Basic'), 'FederationAuthorization.credentialsFile: type is "Basic"; expected an authorization scheme token'],
    [() => FederationAuthorization.fromSecret({ secretName: 'Bad_Name', key: 'token' }), 'FederationAuthorization.fromSecret: props.secretName is "Bad_Name"'],
    [() => FederationAuthorization.fromSecret({ secretName: 'ok', key: 'a/b' }), 'FederationAuthorization.fromSecret: props.key is "a/b"; expected a Secret data key'],
    [() => FederationTls.fromFiles({ certFile: '/c' }), 'FederationTls.fromFiles: keyFile is missing; expected keyFile together with certFile'],
    [() => FederationTls.fromSecret({ secretName: 'tls', keyKey: 'k' }), 'FederationTls.fromSecret: certKey is missing; expected certKey together with keyKey'],
    [() => FederationTls.fromSecret({ secretName: 'tls' }), 'FederationTls.fromSecret: caKey is missing; expected caKey and/or certKey + keyKey'],
  ])('value classes reject bad input %#', (make, msg) => {
    expect(make).toThrow(msg);
  });
});
