// A local identity provider on loopback, standing in for the two Microsoft services a Teams bot
// meets when it has an app id and password:
//
// - Bot Framework's channel token service: OpenID metadata at /v1/.well-known/openidconfiguration
//   (the bot's MICROSOFT_OPENID_METADATA_URL) and its JWKS, whose keys carry `endorsements`
//   (the channels a key may sign for, e.g. "msteams"). Tests sign Bot Connector-style tokens with
//   `sign()` / `channelToken()`.
// - An Entra ID (login.microsoftonline.com-style) authority: /{tenant}/v2.0/.well-known/openid-configuration,
//   /{tenant}/discovery/v2.0/keys and /{tenant}/oauth2/v2.0/token, which issues client-credential
//   tokens to registered apps and records what it issued. The bot's MICROSOFT_LOGIN_URL is
//   `loginUrl`.
//
// It serves HTTPS only (MSAL refuses http authorities), with a certificate for 127.0.0.1 and
// localhost signed by a throwaway CA made at start. A process trusts it through
// NODE_EXTRA_CA_CERTS=<caCertPath>, which Node reads only at start: run the bot as a child process.
// Everything lives in a temp directory removed by close().
import { execFileSync } from "node:child_process";
import {
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign as signBytes,
} from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What Bot Framework's own channel tokens carry as `iss` (botbuilder's ToBotFromChannelTokenIssuer). */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
/** The scope a bot asks for to call the Bot Connector, and the audience of that token. */
export const BOT_CONNECTOR_SCOPE = "https://api.botframework.com/.default";

export type SigningAlgorithm = "RS256" | "RS384" | "RS512" | "HS256" | "none";

/** A signing key: `published` keys appear in a JWKS, the others are an attacker's. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Channels this key signs for (Bot Framework JWKS only). */
  endorsements: string[];
}

export interface SignOptions {
  /** Default "RS256". "HS256" signs with an HMAC (secret: `hmacSecret`, default the key's public PEM). */
  alg?: SigningAlgorithm;
  /** The key that signs; default the published Bot Framework key. */
  key?: SigningKey;
  /** The `kid` header; default the signing key's. */
  kid?: string | null;
  /** Extra or replaced header fields (null removes one). */
  header?: Record<string, unknown>;
  hmacSecret?: string | Buffer;
  /** Replace the signature with random bytes after signing. */
  tamperSignature?: boolean;
}

export interface ChannelTokenOptions extends SignOptions {
  /** The bot's app id (the token's `aud`). */
  appId: string;
  /** The activity's serviceUrl (the token's `serviceurl` claim); omitted when undefined. */
  serviceUrl?: string;
  /** Seconds from now; default -60 (issued a minute ago). */
  notBeforeIn?: number;
  /** Seconds from now; default 3600. */
  expiresIn?: number;
  /** Claims merged over the generated ones (null removes one). */
  claims?: Record<string, unknown>;
}

/** A client-credential token the authority handed out. */
export interface IssuedToken {
  tenant: string;
  clientId: string;
  scope: string;
  accessToken: string;
  at: number;
}

export interface IdpRequest {
  method: string;
  path: string;
  status: number;
}

export interface IdentityProvider {
  /** https://127.0.0.1:PORT */
  readonly origin: string;
  /** The Bot Framework-style OpenID metadata URL (for MICROSOFT_OPENID_METADATA_URL). */
  readonly metadataUrl: string;
  /** The Entra-style login URL with a trailing slash (for MICROSOFT_LOGIN_URL). */
  readonly loginUrl: string;
  /** PEM file of the throwaway CA that signed the server certificate (for NODE_EXTRA_CA_CERTS). */
  readonly caCertPath: string;
  /** The CA certificate itself (PEM), for in-process clients given a `ca` option. */
  readonly caCert: string;
  /** The published Bot Framework key (endorsements ["msteams"]). */
  readonly botFrameworkKey: SigningKey;
  /** The published key the Entra authority signs its access tokens with. */
  readonly entraKey: SigningKey;
  /** A key no JWKS publishes (a forger's). */
  readonly unpublishedKey: SigningKey;
  /** Sign `claims` as a compact JWS with any header tweak. */
  sign(claims: Record<string, unknown>, options?: SignOptions): string;
  /** A Bot Connector-style token for an inbound activity (iss api.botframework.com, aud, serviceurl). */
  channelToken(options: ChannelTokenOptions): string;
  /** Let the token endpoint issue tokens to this app (client id + secret), in any tenant. */
  registerApp(clientId: string, clientSecret: string): void;
  /** Access tokens issued by the token endpoint, oldest first. */
  readonly issued: IssuedToken[];
  /** Every request, oldest first. */
  readonly requests: IdpRequest[];
  close(): Promise<void>;
}

export interface IdentityProviderOptions {
  /** Endorsements of the Bot Framework key; default ["msteams"]. */
  endorsements?: string[];
  /** Lifetime of issued access tokens in seconds; default 3600 (a bot caches them until 5 minutes before). */
  accessTokenLifetimeSeconds?: number;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

function newKey(endorsements: string[]): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid: randomBytes(12).toString("base64url"), privateKey, publicKey, endorsements };
}

function jwk(key: SigningKey, withEndorsements: boolean): Record<string, unknown> {
  const { n, e } = key.publicKey.export({ format: "jwk" });
  return {
    kty: "RSA",
    use: "sig",
    kid: key.kid,
    n,
    e,
    ...(withEndorsements ? { endorsements: key.endorsements } : {}),
  };
}

const HASH: Record<string, string> = { RS256: "sha256", RS384: "sha384", RS512: "sha512" };

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
function makeCertificates(dir: string): { caCertPath: string; key: string; cert: string } {
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=alumni-bridge test CA"]
      .concat(["-keyout", "ca.key", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE"])
      .concat(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
  );
  run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  ]);
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  run(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"].concat([
      "-out",
      "server.pem",
      "-extfile",
      "server.ext",
    ]),
  );
  return {
    caCertPath: join(dir, "ca.pem"),
    key: readFileSync(join(dir, "server.key"), "utf8"),
    cert: readFileSync(join(dir, "server.pem"), "utf8"),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  const dir = mkdtempSync(join(tmpdir(), "ab-idp-"));
  const certs = makeCertificates(dir);
  const botFrameworkKey = newKey(options.endorsements ?? ["msteams"]);
  const entraKey = newKey([]);
  const unpublishedKey = newKey(options.endorsements ?? ["msteams"]);
  const lifetime = options.accessTokenLifetimeSeconds ?? 3600;
  const apps = new Map<string, string>();
  const issued: IssuedToken[] = [];
  const requests: IdpRequest[] = [];
  let origin = "";

  const sign = (claims: Record<string, unknown>, opts: SignOptions = {}): string => {
    const alg = opts.alg ?? "RS256";
    const key = opts.key ?? botFrameworkKey;
    const header: Record<string, unknown> = { alg, typ: "JWT" };
    const kid = opts.kid === undefined ? key.kid : opts.kid;
    if (kid !== null) header.kid = kid;
    for (const [name, value] of Object.entries(opts.header ?? {})) {
      if (value === null) delete header[name];
      else header[name] = value;
    }
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    let signature: Buffer;
    if (alg === "none") signature = Buffer.alloc(0);
    else if (alg === "HS256") {
      const secret = opts.hmacSecret ?? (key.publicKey.export({ format: "pem", type: "spki" }) as string);
      signature = createHmac("sha256", secret).update(input).digest();
    } else signature = signBytes(HASH[alg] as string, Buffer.from(input), key.privateKey);
    if (opts.tamperSignature) signature = randomBytes(signature.length || 256);
    return `${input}.${b64url(signature)}`;
  };

  const channelToken = (opts: ChannelTokenOptions): string => {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      serviceurl: opts.serviceUrl,
      nbf: now + (opts.notBeforeIn ?? -60),
      exp: now + (opts.expiresIn ?? 3600),
      iss: BOT_FRAMEWORK_ISSUER,
      aud: opts.appId,
    };
    if (opts.serviceUrl === undefined) delete claims.serviceurl;
    for (const [name, value] of Object.entries(opts.claims ?? {})) {
      if (value === null) delete claims[name];
      else claims[name] = value;
    }
    return sign(claims, opts);
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };

  // The Entra authority's token endpoint: client credentials only, as a bot uses it.
  const token = async (tenant: string, req: IncomingMessage): Promise<[number, unknown]> => {
    const form = new URLSearchParams(await readBody(req));
    const clientId = form.get("client_id") ?? "";
    const scope = form.get("scope") ?? "";
    if (form.get("grant_type") !== "client_credentials") {
      return [400, { error: "unsupported_grant_type", error_description: "AADSTS70003: only client_credentials here" }];
    }
    if (!apps.has(clientId) || apps.get(clientId) !== form.get("client_secret")) {
      return [401, { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." }];
    }
    const resource = scope.split(" ").find((s) => s.endsWith("/.default"));
    if (!resource)
      return [400, { error: "invalid_scope", error_description: "AADSTS1002012: scope must end in /.default" }];
    const now = Math.floor(Date.now() / 1000);
    const accessToken = sign(
      {
        aud: resource.slice(0, -"/.default".length),
        iss: `https://sts.windows.net/${tenant}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        appid: clientId,
        appidacr: "1",
        idp: `https://sts.windows.net/${tenant}/`,
        tid: tenant,
        ver: "1.0",
        jti: randomUUID(),
      },
      { key: entraKey },
    );
    issued.push({ tenant, clientId, scope, accessToken, at: Date.now() });
    return [200, { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken }];
  };

  const route = async (req: IncomingMessage, path: string): Promise<[number, unknown]> => {
    const method = req.method ?? "GET";
    if (method === "GET" && path === "/v1/.well-known/openidconfiguration") {
      return [
        200,
        {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: `${origin}/v1/oauth2/authorize`,
          jwks_uri: `${origin}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
        },
      ];
    }
    if (method === "GET" && path === "/v1/.well-known/keys") return [200, { keys: [jwk(botFrameworkKey, true)] }];
    const tenantPath =
      /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)$/.exec(path);
    if (tenantPath) {
      const tenant = decodeURIComponent(tenantPath[1] as string);
      const what = tenantPath[2];
      if (method === "GET" && what === "v2.0/.well-known/openid-configuration") {
        // Entra answers with {tenant} placeholders for the multi-tenant aliases; MSAL fills them in.
        const t = ["common", "organizations", "consumers"].includes(tenant) ? "{tenantid}" : tenant;
        return [
          200,
          {
            issuer: `${origin}/${t}/v2.0`,
            authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
            token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
            end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
            jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
            response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
            subject_types_supported: ["pairwise"],
            id_token_signing_alg_values_supported: ["RS256"],
            token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            scopes_supported: ["openid", "profile", "email", "offline_access"],
            tenant_region_scope: "AS",
          },
        ];
      }
      if (method === "GET" && what === "discovery/v2.0/keys") return [200, { keys: [jwk(entraKey, false)] }];
      if (method === "POST" && what === "oauth2/v2.0/token") return token(tenant, req);
    }
    return [404, { error: "not_found", error_description: `${method} ${path}` }];
  };

  const server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    const path = new URL(req.url ?? "/", "https://127.0.0.1").pathname;
    route(req, path).then(
      ([status, body]) => {
        requests.push({ method: req.method ?? "GET", path, status });
        json(res, status, body);
      },
      (err: unknown) => {
        requests.push({ method: req.method ?? "GET", path, status: 500 });
        json(res, 500, { error: "server_error", error_description: String(err) });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    metadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    loginUrl: `${origin}/`,
    caCertPath: certs.caCertPath,
    caCert: readFileSync(certs.caCertPath, "utf8"),
    botFrameworkKey,
    entraKey,
    unpublishedKey,
    sign,
    channelToken,
    registerApp(clientId, clientSecret) {
      apps.set(clientId, clientSecret);
    },
    issued,
    requests,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}
