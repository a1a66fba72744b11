/** OAuth 2.0 connections and the run engine's credential resolution. Import from here. */
export { OAuthConfigSchema, parseOAuthConfig, type OAuthConfig } from './oauth-config';
export { buildAuthorizationRequest, codeChallengeS256, codeFromRedirect, generateCodeVerifier, type AuthorizationRequest } from './pkce';
export { requestToken, revokeToken, isTransientTokenFailure, type TokenSet, type ClientCredentials } from './token-endpoint';
export { OAuthConnections, DEFAULT_REFRESH_SKEW_MS, reconnectNeeded, type IdentityApi, type OAuthConnectionStatus, type OAuthConnectResult, type OAuthConnectionsOptions } from './oauth-connections';
export { credentialRefresher, credentialResolver } from './credential-resolver';
