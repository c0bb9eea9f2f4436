package org.lmrec.summary.chat;

/** A chat completion that failed for good (after the retries), with the reason. */
public final class ChatException extends Exception {
  public ChatException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
