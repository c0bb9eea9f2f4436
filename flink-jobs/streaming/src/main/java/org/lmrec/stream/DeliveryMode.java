package org.lmrec.stream;

/** Delivery guarantee of the recommendation sink; see {@link StreamingOptions#DELIVERY}. */
public enum DeliveryMode {
  AT_LEAST_ONCE,
  EXACTLY_ONCE
}
