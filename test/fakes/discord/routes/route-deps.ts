import type { Clock } from '../../../../src/core/clock.js';
import type { CommandStore } from '../command-store.js';
import type { InteractionRegistry } from '../interaction-registry.js';
import type { UserJson } from '../json-types.js';
import type { MessageStore } from '../message-store.js';
import type { SnowflakeFactory } from '../snowflake.js';
import type { World } from '../world.js';

/** What route handlers share: the fake's state, never the HTTP layer. */
export interface RouteDeps {
  world: World;
  messages: MessageStore;
  commands: CommandStore;
  interactions: InteractionRegistry;
  appId: string;
  bot: UserJson;
  ids: SnowflakeFactory;
  clock: Clock;
  gatewayUrl: () => string;
  lookupUser: (id: string) => UserJson;
}
