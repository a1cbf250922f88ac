// botbuilder's CloudAdapter builds a new ConnectorClient (an Azure HTTP pipeline
// with its own keep-alive agent, so a new TCP connection for every reply) and a
// new UserTokenClient for every turn. This wraps the bot's BotFrameworkAuthentication
// so both are made once per app id, service URL and audience and reused, as
// botbuilder's older BotFrameworkAdapter did. The clients hold no per-turn state:
// their credentials fetch and refresh the bot's token themselves. Bounded in size
// and age.

import type { Activity } from "botbuilder";
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from "botframework-connector";

const MAX_CLIENTS = 64;
const MAX_AGE_MS = 60 * 60_000;

class BoundedCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; at: number }>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < MAX_AGE_MS) return hit.value;
    if (hit) this.entries.delete(key);
    const value = make();
    this.entries.set(key, { value, at: now });
    // A failed creation is not kept: the next turn tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > MAX_CLIENTS) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return value;
  }
}

/** The app id botbuilder's ParameterizedBotFrameworkAuthentication makes clients for (its getAppId). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ""
  );
}

class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly cache: BoundedCache<ConnectorClient>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.get(JSON.stringify([this.appId, serviceUrl, audience ?? null]), () =>
      this.inner.create(serviceUrl, audience),
    );
  }
}

export class CachingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new BoundedCache<ConnectorClient>();
  private readonly userTokenClients = new BoundedCache<UserTokenClient>();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  private wrap(factory: ConnectorFactory | undefined, claimsIdentity: ClaimsIdentity): ConnectorFactory | undefined {
    return factory && new CachingConnectorFactory(factory, appIdOf(claimsIdentity), this.connectors);
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.cachingResult(await this.inner.authenticateRequest(activity, authHeader));
  }

  /** The inner authentication's result for a request, with its connector factory reusing clients. */
  cachingResult(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const connectorFactory = this.wrap(result.connectorFactory, result.claimsIdentity);
    return connectorFactory ? { ...result, connectorFactory } : result;
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.wrap(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity) as ConnectorFactory;
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get(JSON.stringify([appIdOf(claimsIdentity)]), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}
