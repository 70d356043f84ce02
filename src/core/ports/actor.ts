/** Who is asking, as the transport established it (the authorization port's answer). */
export interface Actor {
  id: string;
  name: string;
  /** `console`, or `discord:<guildId>/<channelId>`. */
  source: string;
  isAdmin: boolean;
}
