package org.lmrec.summary.chat;

/** A {@link ChatModel} that holds a loaded checkpoint in this process; close it to free the memory. */
public interface LocalChatModel extends ChatModel, AutoCloseable {
  @Override
  void close();
}
