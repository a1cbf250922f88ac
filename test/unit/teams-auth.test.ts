// How the bot composes Microsoft's authentication settings from ours: the authority of its own
// token (SingleTenant / MultiTenant), every value of botbuilder's parameterized mode, and that
// with the defaults these are the public-cloud values botbuilder's own default uses. Then the
// quiet checks that need no keys (the rest, with keys, is test/e2e/teams-auth.test.ts).
import { CallerIdConstants } from "botbuilder";
import { AuthenticationConstants, BotFrameworkAuthenticationFactory } from "botframework-connector";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BOT_FRAMEWORK_OPENID_METADATA_URL, loadConfig, MICROSOFT_LOGIN_URL_DEFAULT } from "../../src/config.js";
import {
  botFrameworkAuthConfig,
  createTeamsAuthentication,
  msalConfiguration,
  outboundAuthority,
  type RefusalReason,
  TeamsAuthRefused,
} from "../../src/platforms/teams/auth.js";

const APP_ID = "5e0b8a52-3c1f-4d7e-9a6b-2f8c1d0e4b7a";
const TENANT = "3f2a8c71-5b4d-4e9a-8c1f-2d6e7a9b0c13";

function teams(env: Record<string, string>) {
  return loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: "pw", ...env }).teams;
}

describe("Teams sign-in settings", () => {
  it("our defaults are botframework-connector's public-cloud constants", () => {
    expect(BOT_FRAMEWORK_OPENID_METADATA_URL).toBe(AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl);
    expect(MICROSOFT_LOGIN_URL_DEFAULT).toBe(AuthenticationConstants.ToChannelFromBotLoginUrlPrefix);
  });

  it("SingleTenant: the bot's token comes from the login URL + its tenant", () => {
    const single = teams({ MICROSOFT_APP_TENANT_ID: TENANT, MICROSOFT_APP_TYPE: "SingleTenant" });
    expect(outboundAuthority(single)).toBe(`https://login.microsoftonline.com/${TENANT}`);
    const local = teams({ MICROSOFT_APP_TENANT_ID: TENANT, MICROSOFT_LOGIN_URL: "https://127.0.0.1:8443" });
    expect(outboundAuthority(local)).toBe(`https://127.0.0.1:8443/${TENANT}`);
    expect(msalConfiguration(local).auth.authority).toBe(`https://127.0.0.1:8443/${TENANT}`);
  });

  it("MultiTenant: the bot's token comes from the login URL + botframework.com, whatever the tenant", () => {
    const multi = teams({ MICROSOFT_APP_TYPE: "MultiTenant" });
    expect(outboundAuthority(multi)).toBe("https://login.microsoftonline.com/botframework.com");
    // As Microsoft's SDK does: a MultiTenant bot ignores MICROSOFT_APP_TENANT_ID for its token.
    const withTenant = teams({
      MICROSOFT_APP_TYPE: "MultiTenant",
      MICROSOFT_APP_TENANT_ID: TENANT,
      MICROSOFT_LOGIN_URL: "https://idp.example.test/",
    });
    expect(outboundAuthority(withTenant)).toBe("https://idp.example.test/botframework.com");
    expect(botFrameworkAuthConfig(withTenant).ToChannelFromBotLoginUrl).toBe(
      "https://idp.example.test/botframework.com",
    );
  });

  it("MSAL trusts a login host it does not know only when named (no instance discovery on the internet)", () => {
    const local = msalConfiguration(
      teams({ MICROSOFT_APP_TENANT_ID: TENANT, MICROSOFT_LOGIN_URL: "https://127.0.0.1:8443/" }),
    );
    expect(local.auth.knownAuthorities).toEqual(["127.0.0.1:8443"]);
    expect(local.auth).toMatchObject({ clientId: APP_ID, clientSecret: "pw" });
    // Microsoft's own login host: configured exactly as botbuilder's MicrosoftAppCredentials does.
    const ms = msalConfiguration(teams({ MICROSOFT_APP_TENANT_ID: TENANT }));
    expect(ms.auth.knownAuthorities).toBeUndefined();
  });

  it("gives botbuilder's parameterized mode every value it needs, from our two URLs", () => {
    const config = botFrameworkAuthConfig(
      teams({
        MICROSOFT_APP_TENANT_ID: TENANT,
        MICROSOFT_OPENID_METADATA_URL: "https://127.0.0.1:8443/v1/.well-known/openidconfiguration",
        MICROSOFT_LOGIN_URL: "https://127.0.0.1:8443/",
      }),
    );
    for (const key of [
      "ToChannelFromBotLoginUrl",
      "ToChannelFromBotOAuthScope",
      "ToBotFromChannelTokenIssuer",
      "OAuthUrl",
      "ToBotFromChannelOpenIdMetadataUrl",
      "ToBotFromEmulatorOpenIdMetadataUrl",
      "CallerId",
    ] as const) {
      expect(config[key], key).toMatch(/\S/);
    }
    expect(config.ToBotFromChannelOpenIdMetadataUrl).toBe("https://127.0.0.1:8443/v1/.well-known/openidconfiguration");
    expect(config.ToBotFromEmulatorOpenIdMetadataUrl).toBe(
      "https://127.0.0.1:8443/common/v2.0/.well-known/openid-configuration",
    );
    expect(config.ToChannelFromBotLoginUrl).toBe(`https://127.0.0.1:8443/${TENANT}`);
  });

  it("with the defaults, equals botbuilder's own public-cloud authentication", () => {
    // The authentication the bot really builds (ConfigurationBotFrameworkAuthentication keeps the
    // parameterized one it chose as `inner`).
    const built = createTeamsAuthentication(teams({ MICROSOFT_APP_TENANT_ID: TENANT })).botFrameworkAuthentication;
    const ours = (built as unknown as { inner: Record<string, unknown> }).inner;
    const microsofts = BotFrameworkAuthenticationFactory.create() as unknown as Record<string, unknown>;
    for (const field of [
      "validateAuthority",
      "toChannelFromBotOAuthScope",
      "toBotFromChannelTokenIssuer",
      "oAuthUrl",
      "toBotFromChannelOpenIdMetadataUrl",
      "toBotFromEmulatorOpenIdMetadataUrl",
      "callerId",
    ]) {
      expect(ours[field], field).toBe(microsofts[field]);
    }
    expect(microsofts.callerId).toBe(CallerIdConstants.PublicAzureChannel);
    // The one difference: the login URL names the bot's tenant where botbuilder's says
    // botframework.com; its credentials factory reads only the public-cloud prefix from it.
    expect(microsofts.toChannelFromBotLoginUrl).toBe("https://login.microsoftonline.com/botframework.com");
    expect(
      String(ours.toChannelFromBotLoginUrl).startsWith(AuthenticationConstants.ToChannelFromBotLoginUrlPrefix),
    ).toBe(true);
  });
});

describe("Teams token checks that need no keys", () => {
  // Unreachable on purpose: every case here must be refused before any key is fetched.
  const auth = createTeamsAuthentication(
    teams({
      MICROSOFT_APP_TENANT_ID: TENANT,
      MICROSOFT_OPENID_METADATA_URL: "https://127.0.0.1:9/v1/.well-known/openidconfiguration",
      MICROSOFT_LOGIN_URL: "https://127.0.0.1:9/",
    }),
  );
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = (header: object, claims: object) => `${b64(header)}.${b64(claims)}.${b64("sig")}`;
  const now = Math.floor(Date.now() / 1000);
  const channelClaims = { iss: "https://api.botframework.com", aud: APP_ID, serviceurl: "https://x/", exp: now + 60 };
  const activity = { type: "message", channelId: "msteams", serviceUrl: "https://x/" };

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function reasonOf(authorization: string, act: object = activity): Promise<RefusalReason> {
    const printed = vi.spyOn(console, "error");
    const written = vi.spyOn(process.stderr, "write");
    try {
      await auth.authenticate(authorization, act);
    } catch (err) {
      expect(err).toBeInstanceOf(TeamsAuthRefused);
      expect(printed).not.toHaveBeenCalled();
      expect(written).not.toHaveBeenCalled();
      return (err as TeamsAuthRefused).reason;
    }
    throw new Error("expected a refusal");
  }

  it("refuses a header that is not `Bearer <token>`, and a token that is not a JWT", async () => {
    expect(await reasonOf("Bearer")).toBe("malformed");
    expect(await reasonOf("bearer x.y.z")).toBe("malformed");
    expect(await reasonOf("Bearer a b")).toBe("malformed");
    expect(await reasonOf("Bearer not-a-jwt")).toBe("malformed");
  });

  it("refuses alg none and HS256 before looking for a key", async () => {
    expect(await reasonOf(`Bearer ${jwt({ alg: "none" }, channelClaims)}`)).toBe("algorithm");
    expect(await reasonOf(`Bearer ${jwt({ alg: "HS256", kid: "k" }, channelClaims)}`)).toBe("algorithm");
    expect(await reasonOf(`Bearer ${jwt({ kid: "k" }, channelClaims)}`)).toBe("algorithm");
  });

  it("refuses an activity without channelId or serviceUrl (botbuilder would skip or crash on them)", async () => {
    const token = `Bearer ${jwt({ alg: "RS256", kid: "k" }, channelClaims)}`;
    expect(await reasonOf(token, { type: "message", serviceUrl: "https://x/" })).toBe("malformed");
    expect(await reasonOf(token, { type: "message", channelId: "msteams" })).toBe("malformed");
    expect(await reasonOf(token, { type: "message", channelId: 7, serviceUrl: "https://x/" })).toBe("malformed");
  });

  it("refuses another issuer, and skill tokens (no skills are configured)", async () => {
    const other = { ...channelClaims, iss: "https://sts.example/" };
    expect(await reasonOf(`Bearer ${jwt({ alg: "RS256", kid: "k" }, other)}`)).toBe("issuer");
    const skill = {
      ...channelClaims,
      iss: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
      ver: "1.0",
      appid: "another-bot",
    };
    expect(await reasonOf(`Bearer ${jwt({ alg: "RS256", kid: "k" }, skill)}`)).toBe("unsupported_token");
  });

  it("says the keys are unavailable (an operator's problem) when the metadata cannot be fetched", async () => {
    expect(await reasonOf(`Bearer ${jwt({ alg: "RS256", kid: "k" }, channelClaims)}`)).toBe("keys_unavailable");
  });
});
