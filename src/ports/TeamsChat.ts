/**
 * One-to-one Teams chat messages sent as the signed-in person. Sending a chat message has only a
 * delegated permission, so this runs in the browser, never in the retention job. Implemented over
 * Microsoft Graph in src/adapters/graph/GraphTeamsChat.ts.
 */

/** A chat message: HTML, as Teams shows it. */
export interface TeamsMessage {
  /** The message's HTML body; every value in it is escaped by the caller. */
  readonly html: string;
}

/** Where the message went. */
export interface SentTeamsMessage {
  readonly chatId: string;
  readonly messageId: string;
}

export interface TeamsChat {
  /**
   * Sends `message` in the one-to-one chat between the signed-in person and the user with this
   * Microsoft Entra object id, starting that chat when there is none. Rejects with the boundary's
   * error (a GraphError, or a TokenError when sign-in or consent is needed).
   */
  messageUser(entraObjectId: string, message: TeamsMessage): Promise<SentTeamsMessage>;
}
