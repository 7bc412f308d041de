/**
 * The trigger's polling log and health, free of Jenkins: one {@link io.jenkins.plugins.azureml.blob.log.PollEntry}
 * per poll kept in a bounded JSON-lines file ({@link io.jenkins.plugins.azureml.blob.log.PollHistory}), rendered as
 * the page's rows and summary ({@link io.jenkins.plugins.azureml.blob.log.PollingLogView}) or as plain text
 * ({@link io.jenkins.plugins.azureml.blob.log.PollEntryText}), and read as a failure streak
 * ({@link io.jenkins.plugins.azureml.blob.log.TriggerHealth}) for the job page and the administrative monitor.
 * In push mode the log also holds one entry per batch of queue events for the job
 * ({@link io.jenkins.plugins.azureml.blob.log.PollEntry.Kind#EVENTS}) and marks the listings as reconciliations, whose
 * counts {@link io.jenkins.plugins.azureml.blob.log.ReconciliationSummary} adds up for the page.
 * Blob names are stored exact and escaped for display by {@link io.jenkins.plugins.azureml.blob.log.LogEscaper}.
 */
package io.jenkins.plugins.azureml.blob.log;
