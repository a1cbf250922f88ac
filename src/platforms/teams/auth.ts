// Teams sign-in, both ways:
//
// - Inbound: every request to /api/messages carries a Bot Framework JWT. botbuilder's own
//   validation is the authority (issuer, audience = our app id, serviceurl = the activity's,
//   signing key endorsed for the channel). In front of it runs a quiet check of the token's
//   form, algorithm, key, signature and times (jose, against the same published keys), so
//   that a forged token never reaches botbuilder's JwtTokenExtractor, which prints to stderr
//   (a stack for an expired token, the public key for a bad signature), and never reaches
//   CloudAdapter.process, which prints every failure's stack and answers 500 for some. The
//   route then answers 401 with one line in our log.
// - Outbound: the bot's own token for the Bot Connector comes from Entra ID through MSAL, at
//   MICROSOFT_LOGIN_URL + the tenant (SingleTenant) or botframework.com (MultiTenant), as
//   Microsoft's SDK composes it.
//
// Only documented botbuilder settings are used: ConfigurationBotFrameworkAuthentication in its
// parameterized mode (where every value must be given: setting any one switches it on) and a
// MsalServiceClientCredentialsFactory around our own ConfidentialClientApplication (MSAL refuses
// http:// authorities, and for a host it does not know it asks the internet for instance
// discovery unless the host is in knownAuthorities). With the defaults the values are
// Microsoft's public-cloud ones, so the bot behaves as botbuilder's default does.
import { createPublicKey, type KeyObject } from "node:crypto";
import { ConfidentialClientApplication, type Configuration, LogLevel } from "@azure/msal-node";
import {
  type Activity,
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from "botbuilder";
import {
  AseChannelValidation,
  type AuthenticateRequestResult,
  AuthenticationConstants,
  type BotFrameworkAuthentication,
  MsalServiceClientCredentialsFactory,
  type ServiceClientCredentialsFactory,
  SkillValidation,
  ToBotFromBotOrEmulatorTokenValidationParameters,
} from "botframework-connector";
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { MICROSOFT_LOGIN_URL_DEFAULT, type TConfig } from "../../config.js";
import type { Logger } from "../../logger.js";

type TeamsSettings = TConfig["teams"];
type MsalClient = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];

/** Bot Framework's public-cloud constants (the values botbuilder's default uses). */
export const BOT_FRAMEWORK_TOKEN_ISSUER = AuthenticationConstants.ToBotFromChannelTokenIssuer;
export const BOT_CONNECTOR_OAUTH_SCOPE = AuthenticationConstants.ToChannelFromBotOAuthScope;
/** The tenant a MultiTenant bot gets its token in. */
export const MULTI_TENANT_AUTHORITY_TENANT = AuthenticationConstants.DefaultChannelAuthTenant;
/** The algorithms botbuilder accepts for Bot Framework tokens. */
export const ALLOWED_ALGORITHMS: readonly string[] = AuthenticationConstants.AllowedSigningAlgorithms;
/** Clock skew botbuilder tolerates on nbf/exp, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 5 * 60;

/** The authority the bot gets its outbound token from: the login URL + tenant or botframework.com. */
export function outboundAuthority(teams: Pick<TeamsSettings, "appType" | "tenantId" | "loginUrl">): string {
  const tenant = teams.appType === "MultiTenant" ? MULTI_TENANT_AUTHORITY_TENANT : (teams.tenantId ?? "");
  return `${teams.loginUrl}${tenant}`;
}

/**
 * Every value of ConfigurationBotFrameworkAuthentication's parameterized mode. With the default
 * URLs these equal what botbuilder's public-cloud default uses.
 */
export function botFrameworkAuthConfig(teams: TeamsSettings) {
  return {
    MicrosoftAppId: teams.appId ?? "",
    MicrosoftAppTenantId: teams.tenantId ?? "",
    MicrosoftAppType: teams.appType,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: outboundAuthority(teams),
    ToChannelFromBotOAuthScope: BOT_CONNECTOR_OAUTH_SCOPE,
    ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_TOKEN_ISSUER,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: teams.openIdMetadataUrl,
    // The Emulator's (and Agents Playground's) tokens come from Entra ID's common endpoint.
    ToBotFromEmulatorOpenIdMetadataUrl: `${teams.loginUrl}common/v2.0/.well-known/openid-configuration`,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** MSAL's configuration for the bot's client-credential token (not for UserAssignedMSI). */
export function msalConfiguration(teams: TeamsSettings, logger?: Logger): Configuration {
  const custom = teams.loginUrl !== MICROSOFT_LOGIN_URL_DEFAULT;
  return {
    auth: {
      clientId: teams.appId ?? "",
      clientSecret: teams.appPassword ?? "",
      authority: outboundAuthority(teams),
      // A login host MSAL does not know: trust it as named, with no instance discovery.
      ...(custom ? { knownAuthorities: [new URL(teams.loginUrl).host] } : {}),
    },
    system: {
      loggerOptions: {
        // Errors only: MSAL warns "No client info in response" for every client-credential token.
        logLevel: LogLevel.Error,
        piiLoggingEnabled: false,
        loggerCallback(level, message) {
          if (level === LogLevel.Error) logger?.error({ msal: message }, "MSAL error");
        },
      },
    },
  };
}

/** Why a request's token was refused. */
export type RefusalReason =
  | "malformed"
  | "algorithm"
  | "issuer"
  | "unsupported_token"
  | "unknown_key"
  | "endorsement"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "claims"
  | "keys_unavailable";

export class TeamsAuthRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = "TeamsAuthRefused";
  }
}

interface PublishedKey {
  key: KeyObject;
  endorsements?: unknown;
}

const KEYS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** An unknown kid refreshes the keys at most this often (botbuilder: once an hour). */
const UNKNOWN_KID_REFRESH_MS = 60 * 60 * 1000;
/** After a failed load, wait this long before asking again. */
const FAILED_LOAD_RETRY_MS = 10 * 1000;

/** The signing keys an OpenID metadata document points at (jwks_uri), cached like botbuilder's. */
class PublishedKeys {
  private keys = new Map<string, PublishedKey>();
  private loadedAt = 0;
  private failedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(readonly metadataUrl: string) {}

  async find(kid: string): Promise<PublishedKey | undefined> {
    const now = Date.now();
    if (now - this.loadedAt > KEYS_MAX_AGE_MS) await this.refresh();
    else if (!this.keys.has(kid) && now - this.loadedAt > UNKNOWN_KID_REFRESH_MS) await this.refresh();
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async load(): Promise<void> {
    if (Date.now() - this.failedAt < FAILED_LOAD_RETRY_MS) {
      // A recent failure: keep what we have (if anything) instead of hammering the endpoint.
      if (this.loadedAt === 0) throw new TeamsAuthRefused("keys_unavailable", "signing keys could not be loaded");
      return;
    }
    try {
      const metadata = (await fetchJson(this.metadataUrl)) as { jwks_uri?: unknown };
      if (typeof metadata.jwks_uri !== "string") throw new Error("the OpenID metadata has no jwks_uri");
      const jwks = (await fetchJson(metadata.jwks_uri)) as { keys?: unknown };
      if (!Array.isArray(jwks.keys)) throw new Error("the JWKS has no keys");
      const keys = new Map<string, PublishedKey>();
      for (const jwk of jwks.keys as Record<string, unknown>[]) {
        // Like botbuilder: only RSA keys (n, e) count.
        if (typeof jwk.kid !== "string" || typeof jwk.n !== "string" || typeof jwk.e !== "string") continue;
        try {
          const key = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" });
          keys.set(jwk.kid, { key, endorsements: jwk.endorsements });
        } catch {
          // A key node cannot read is one nobody can sign with for us.
        }
      }
      this.keys = keys;
      this.loadedAt = Date.now();
    } catch (err) {
      this.failedAt = Date.now();
      if (this.loadedAt === 0) {
        throw new TeamsAuthRefused(
          "keys_unavailable",
          `signing keys could not be loaded from ${this.metadataUrl}: ${(err as Error).message}`,
        );
      }
      // Keep the keys we had; botbuilder does the same.
    }
  }
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

// botbuilder's list, copied before any request: its EmulatorValidation.isTokenFromEmulator adds
// the issuers of every new `tid` it is shown to the shared list (so it is not called here).
const EMULATOR_ISSUERS: readonly string[] = [...(ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[])];

/** Whether botbuilder takes a token with this iss/tid for an Emulator (or Agents Playground) token. */
function isEmulatorIssuer(iss: unknown, tid: unknown): boolean {
  if (typeof iss !== "string" || iss === "") return false;
  if (EMULATOR_ISSUERS.includes(iss)) return true;
  if (typeof tid !== "string" || tid === "") return false;
  return [
    `${AuthenticationConstants.ValidTokenIssuerUrlTemplateV1}${tid}/`,
    `${AuthenticationConstants.ValidTokenIssuerUrlTemplateV2}${tid}/v2.0`,
    `${AuthenticationConstants.ValidGovernmentTokenIssuerUrlTemplateV1}${tid}/`,
    `${AuthenticationConstants.ValidGovernmentTokenIssuerUrlTemplateV2}${tid}/v2.0`,
  ].includes(iss);
}

function endorsed(endorsements: unknown, channelId: string): boolean {
  // botbuilder: keys without endorsements are not restricted; with them, the channel must be one.
  if (!Array.isArray(endorsements) || endorsements.length === 0) return true;
  return endorsements.includes(channelId);
}

export interface TeamsAuthentication {
  /** For CloudAdapter, and so for every outbound call (replies and the dispatcher's sends). */
  readonly botFrameworkAuthentication: BotFrameworkAuthentication;
  /**
   * Resolves when botbuilder accepts the request's token for this activity, with botbuilder's
   * result (handed to CloudAdapter for the turn, so the token is not checked twice); otherwise
   * throws TeamsAuthRefused, having printed nothing. Never includes the token in a message.
   */
  authenticate(authorization: string, activity: Partial<Activity>): Promise<AuthenticateRequestResult>;
}

/** The authentication of a Teams bot with an app id (not sandbox mode). */
export function createTeamsAuthentication(teams: TeamsSettings, logger?: Logger): TeamsAuthentication {
  const config = botFrameworkAuthConfig(teams);
  const credentials: ServiceClientCredentialsFactory =
    teams.appType === "UserAssignedMSI"
      ? new ConfigurationServiceClientCredentialFactory({
          MicrosoftAppId: config.MicrosoftAppId,
          MicrosoftAppTenantId: config.MicrosoftAppTenantId,
          MicrosoftAppType: "UserAssignedMsi",
        })
      : new MsalServiceClientCredentialsFactory(
          config.MicrosoftAppId,
          // The same MSAL release botbuilder uses, loaded as ES module: its type declarations
          // differ from the CommonJS ones botbuilder names only in private members.
          new ConfidentialClientApplication(msalConfiguration(teams, logger)) as unknown as MsalClient,
        );
  const botFrameworkAuthentication = new ConfigurationBotFrameworkAuthentication(config, credentials);
  const channelKeys = new PublishedKeys(config.ToBotFromChannelOpenIdMetadataUrl);
  const emulatorKeys = new PublishedKeys(config.ToBotFromEmulatorOpenIdMetadataUrl);

  /** What botbuilder's JwtTokenExtractor would check inside its noisy try block, checked first. */
  async function verifyQuietly(authorization: string, activity: Partial<Activity>): Promise<void> {
    const parts = authorization.split(" ");
    const token = parts[1] ?? "";
    if (parts.length !== 2 || parts[0] !== "Bearer" || token === "") {
      throw new TeamsAuthRefused("malformed", "the Authorization header is not 'Bearer <token>'");
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      throw new TeamsAuthRefused("malformed", "the token is not a JWT");
    }
    if (typeof header.alg !== "string" || !ALLOWED_ALGORITHMS.includes(header.alg)) {
      throw new TeamsAuthRefused("algorithm", `tokens signed with ${String(header.alg)} are not accepted`);
    }
    // botbuilder skips the serviceurl check for an activity without serviceUrl, and throws a
    // TypeError (printed) for one without channelId: Bot Framework always sends both.
    const { channelId, serviceUrl } = activity as { channelId?: unknown; serviceUrl?: unknown };
    if (
      typeof channelId !== "string" ||
      channelId.trim() === "" ||
      typeof serviceUrl !== "string" ||
      serviceUrl === ""
    ) {
      throw new TeamsAuthRefused("malformed", "the activity has no channelId or serviceUrl");
    }
    if (AseChannelValidation.isTokenFromAseChannel(channelId)) {
      throw new TeamsAuthRefused("unsupported_token", "Direct Line ASE tokens are not accepted");
    }
    if (SkillValidation.isSkillToken(authorization)) {
      // botbuilder refuses skill tokens unless claims validation is configured, which it is not.
      throw new TeamsAuthRefused("unsupported_token", "skill tokens are not accepted");
    }
    let keys: PublishedKeys;
    if (isEmulatorIssuer(claims.iss, claims.tid)) {
      keys = emulatorKeys;
    } else if (claims.iss === BOT_FRAMEWORK_TOKEN_ISSUER) {
      keys = channelKeys;
    } else {
      throw new TeamsAuthRefused("issuer", `the token's issuer ${JSON.stringify(claims.iss)} is not Bot Framework's`);
    }
    const kid = typeof header.kid === "string" ? header.kid : "";
    const published = await keys.find(kid);
    if (!published) throw new TeamsAuthRefused("unknown_key", `no published signing key has the token's kid`);
    if (!endorsed(published.endorsements, channelId)) {
      throw new TeamsAuthRefused("endorsement", `the signing key is not endorsed for channel ${channelId}`);
    }
    try {
      await jwtVerify(token, published.key, {
        algorithms: [...ALLOWED_ALGORITHMS],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp"],
      });
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new TeamsAuthRefused("expired", "the token has expired");
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "nbf") {
        throw new TeamsAuthRefused("not_yet_valid", "the token is not valid yet");
      }
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new TeamsAuthRefused("signature", "the token's signature does not verify");
      }
      throw new TeamsAuthRefused("malformed", `the token is not acceptable: ${(err as Error).message}`);
    }
  }

  return {
    botFrameworkAuthentication,
    async authenticate(authorization, activity) {
      await verifyQuietly(authorization, activity);
      try {
        // botbuilder's own checks (issuer, audience, serviceurl, emulator claims); quiet for a
        // token that passed the checks above. The turn runs with this result.
        return await botFrameworkAuthentication.authenticateRequest(activity as Activity, authorization);
      } catch (err) {
        const token = authorization.slice("Bearer ".length);
        const message = String((err as Error)?.message ?? err).replaceAll(token, "[token]");
        throw new TeamsAuthRefused("claims", message);
      }
    },
  };
}
