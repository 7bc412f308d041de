/**
 * Push mode of the {@code azureBlob} trigger, free of Jenkins: Event Grid {@code Microsoft.Storage.BlobCreated}
 * events read from a Storage queue fire builds within seconds, and the existing listing
 * ({@link io.jenkins.plugins.azureml.blob.BlobPollCycle#asReconciliation()}) stays as the safety net.
 *
 * <p>How the glue uses it, once per queue URL:
 * <pre>{@code
 * EventQueueClientFactory.EventQueueClients q = EventQueueClientFactory.forQueueUrl(eventQueueUrl)
 *         .httpClient(jenkinsProxyAwareHttpClient).withStorageSecret(secret);   // or withTokenCredential(..)
 * BlobEventConsumer consumer = new BlobEventConsumer(BlobEventCycle.builder(q.queue(), q.poisonQueue()).build(),
 *         () -> targetsOfTheJobsNamingThisQueue(),   // EventWatchTarget: watch, blob client, state file, scheduler
 *         executor, report -> report.jobLogs().forEach(appendToThatJobsPollHistory),   // one PollEntry per job
 *         line -> logger.warning(line),
 *         BlobEventConsumer.DEFAULT_IDLE_DELAY, BlobEventConsumer.DEFAULT_MAX_BACKOFF);
 * consumer.start();   // ... consumer.close() when the last job leaves
 * }</pre>
 *
 * <p>One de-duplication across both paths: the job's {@link io.jenkins.plugins.azureml.blob.WatchState} records
 * every fired (name, ETag), whichever path fired it, and both paths read-decide-schedule-save under the state file's
 * {@linkplain io.jenkins.plugins.azureml.blob.WatchStateStore#lock() lock} (the listing lists without it and then
 * drops what events fired meanwhile). For each event the handler:
 * <ol>
 * <li>skips a pair already in the state (a copy of the event, or fired by the listing);</li>
 * <li>reads the blob's properties: an ETag other than the event's means the blob was overwritten (or deleted)
 *     since, so the event is stale and fires nothing. Relying on the listing instead would fire a version nobody
 *     can read any more, or (with the stale version's pair recorded) still be right but start a useless build; the
 *     newer version has its own event and is listed anyway. The same call gives the Last-Modified the window rule
 *     needs;</li>
 * <li>skips a version last modified before the state's window start: the last full listing saw it (it fired
 *     then, or was part of the baseline), and the state no longer holds its pair;</li>
 * <li>otherwise fires it and records the pair. Before the first listing the pairs are kept in a pre-baseline state
 *     (no cursor), which the first listing honours.</li>
 * </ol>
 * A message is deleted only when every job it concerns has scheduled and saved; other event types, malformed and
 * unwatched messages are deleted and counted; a message received more than a bounded number of times goes to
 * {@code <queue>-poison}. "Test connection" peeks at the queue with {@link EventQueueProbe}.
 */
package io.jenkins.plugins.azureml.blob.events;
