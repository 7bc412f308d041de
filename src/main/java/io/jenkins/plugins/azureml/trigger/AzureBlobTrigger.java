package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import hudson.triggers.Trigger;
import hudson.triggers.TriggerDescriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.StartPosition;
import io.jenkins.plugins.azureml.blob.events.EventQueueClientFactory;
import java.io.ObjectStreamException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Future;
import jenkins.model.ParameterizedJobMixIn;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Starts builds when blobs arrive in (or change in) an Azure Blob Storage container: {@code azureBlob(...)} in
 * {@code triggers {}} or {@code pipelineTriggers([...])}, or "Build when blobs arrive in Azure Blob Storage" on a freestyle
 * job's configuration page.
 *
 * <p>On each cron tick {@link #run()} only hands a poll to {@link BlobPollExecutor}; the poll itself
 * ({@link BlobTriggerPoll}) runs the engine's poll cycle, which decides what changed, and this glue only schedules
 * the builds. What has been seen is kept in a file in the job directory, not in this object.
 */
public final class AzureBlobTrigger extends Trigger<Job<?, ?>> {
    /** Every five minutes, spread over the hour per job. */
    public static final String DEFAULT_SPEC = "H/5 * * * *";
    /** The engine's default late-arrival margin, in the minutes this trigger is configured in. */
    public static final int DEFAULT_LATE_ARRIVAL_MARGIN =
            (int) BlobWatch.DEFAULT_LATE_ARRIVAL_MARGIN.toMinutes();

    private final String credentialsId;
    private final String accountUrl;
    private final String container;
    private String prefix = "";
    private String include = "";
    private String exclude = "";
    private boolean includeSubfolders = true;
    private boolean ignoreEmptyBlobs = true;
    private StartPosition startFrom = StartPosition.NOW;
    private BlobTriggerMode mode = BlobTriggerMode.PER_BLOB;
    /** 0 (also what a config.xml without the field reads as): no limit. */
    private int maxChangesPerPoll;
    /** Push mode: the Storage queue Event Grid writes BlobCreated events to; empty for polling only. */
    private String eventQueueUrl = "";
    /** Minutes; 0 (what a config.xml without the field reads as) becomes the default in readResolve. */
    private int lateArrivalMargin = DEFAULT_LATE_ARRIVAL_MARGIN;

    /**
     * @param spec the cron schedule of the polls; blank for {@value #DEFAULT_SPEC}
     * @param credentialsId a Secret text (connection string or SAS) or an Azure service principal / managed identity
     * @param accountUrl the blob endpoint, e.g. {@code https://acct.blob.core.windows.net}
     * @param container the container to watch
     */
    @DataBoundConstructor
    public AzureBlobTrigger(String spec, String credentialsId, String accountUrl, String container) {
        super(specOrDefault(spec));
        this.credentialsId = Util.fixNull(credentialsId).trim();
        this.accountUrl = Util.fixNull(accountUrl).trim();
        this.container = Util.fixNull(container).trim();
    }

    private static String specOrDefault(String spec) {
        return spec == null || spec.isBlank() ? DEFAULT_SPEC : spec;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getAccountUrl() {
        return accountUrl;
    }

    public String getContainer() {
        return container;
    }

    public String getPrefix() {
        return prefix;
    }

    /** Only blobs under this name prefix (e.g. {@code data/}); empty for the whole container. */
    @DataBoundSetter
    public void setPrefix(String prefix) {
        this.prefix = Util.fixNull(prefix);
    }

    public String getInclude() {
        return include;
    }

    /** A glob the blob name (relative to the prefix's folder) must match, e.g. {@code **}{@code /*.csv}. */
    @DataBoundSetter
    public void setInclude(String include) {
        this.include = Util.fixNull(include).trim();
    }

    public String getExclude() {
        return exclude;
    }

    /** A glob of blob names to leave out; wins over {@link #getInclude()}. */
    @DataBoundSetter
    public void setExclude(String exclude) {
        this.exclude = Util.fixNull(exclude).trim();
    }

    public boolean isIncludeSubfolders() {
        return includeSubfolders;
    }

    @DataBoundSetter
    public void setIncludeSubfolders(boolean includeSubfolders) {
        this.includeSubfolders = includeSubfolders;
    }

    public boolean isIgnoreEmptyBlobs() {
        return ignoreEmptyBlobs;
    }

    @DataBoundSetter
    public void setIgnoreEmptyBlobs(boolean ignoreEmptyBlobs) {
        this.ignoreEmptyBlobs = ignoreEmptyBlobs;
    }

    public StartPosition getStartFrom() {
        return startFrom;
    }

    /** {@code NOW}: blobs already there are a baseline; {@code BEGINNING}: the first poll fires for them too. */
    @DataBoundSetter
    public void setStartFrom(StartPosition startFrom) {
        this.startFrom = startFrom == null ? StartPosition.NOW : startFrom;
    }

    public BlobTriggerMode getMode() {
        return mode;
    }

    @DataBoundSetter
    public void setMode(BlobTriggerMode mode) {
        this.mode = mode == null ? BlobTriggerMode.PER_BLOB : mode;
    }

    public int getMaxChangesPerPoll() {
        return maxChangesPerPoll;
    }

    /**
     * At most this many changes per poll (0, the default: no limit); the rest wait for the next poll. Every blob's
     * latest version is reported; a version overwritten while it waits is not.
     */
    @DataBoundSetter
    public void setMaxChangesPerPoll(int maxChangesPerPoll) {
        this.maxChangesPerPoll = maxChangesPerPoll;
    }

    public String getEventQueueUrl() {
        return eventQueueUrl;
    }

    /**
     * Whether the trigger is in push mode (it has an event queue): the form's choice between polling and Event Grid
     * push. Read-only: a form that leaves push mode unchecked sends no queue URL, and a Jenkinsfile says push mode
     * by giving {@code eventQueueUrl}.
     */
    public boolean isPushMode() {
        return !eventQueueUrl.isEmpty();
    }

    /**
     * Push mode: the queue an Event Grid subscription writes this account's BlobCreated events to, e.g.
     * {@code https://acct.queue.core.windows.net/incoming-events}; builds then start within seconds and the schedule
     * becomes the reconciliation listing. Empty: polling only.
     */
    @DataBoundSetter
    public void setEventQueueUrl(String eventQueueUrl) {
        this.eventQueueUrl = Util.fixNull(eventQueueUrl).trim();
    }

    /** Push mode: the job joins its queue's consumer (started with the first job naming the queue). */
    @Override
    public void start(Job<?, ?> project, boolean newInstance) {
        super.start(project, newInstance);
        if (isPushMode()) {
            getDescriptor().events.register(this, project);
        }
    }

    /** Leaves the queue's consumer, which stops with its last job; may be called more than once. */
    @Override
    public void stop() {
        getDescriptor().events.unregister(this);
        super.stop();
    }

    public int getLateArrivalMargin() {
        return lateArrivalMargin;
    }

    /**
     * Minutes (1-1440, default {@value #DEFAULT_LATE_ARRIVAL_MARGIN}) a change may take to become visible after its
     * Last-Modified and still be reported: longer than the slowest single upload request. Changing it keeps the
     * baseline.
     */
    @DataBoundSetter
    public void setLateArrivalMargin(int lateArrivalMargin) {
        this.lateArrivalMargin = lateArrivalMargin;
    }

    @Override
    protected Object readResolve() throws ObjectStreamException {
        // Fields added later read as null from an older config.xml.
        if (prefix == null) {
            prefix = "";
        }
        if (include == null) {
            include = "";
        }
        if (exclude == null) {
            exclude = "";
        }
        if (startFrom == null) {
            startFrom = StartPosition.NOW;
        }
        if (mode == null) {
            mode = BlobTriggerMode.PER_BLOB;
        }
        if (eventQueueUrl == null) {
            eventQueueUrl = "";
        }
        if (lateArrivalMargin == 0) {
            lateArrivalMargin = DEFAULT_LATE_ARRIVAL_MARGIN;
        }
        return super.readResolve();
    }

    /**
     * The engine's description of what to watch.
     *
     * @throws io.jenkins.plugins.azureml.InvalidFieldException naming the bad field
     */
    BlobWatch toWatch() {
        return watchBuilder(accountUrl, container, prefix, include, exclude, includeSubfolders, ignoreEmptyBlobs)
                .startPosition(startFrom).maxChangesPerPoll(maxChangesPerPoll)
                .lateArrivalMargin(Duration.ofMinutes(lateArrivalMargin)).build();
    }

    static BlobWatch.Builder watchBuilder(String accountUrl, String container, String prefix, String include,
            String exclude, boolean includeSubfolders, boolean ignoreEmptyBlobs) {
        BlobWatch.Builder b = BlobWatch.builder().accountUrl(Util.fixNull(accountUrl).trim())
                .container(Util.fixNull(container).trim()).prefix(Util.fixNull(prefix))
                .includeSubfolders(includeSubfolders).ignoreEmptyBlobs(ignoreEmptyBlobs);
        if (!Util.fixNull(include).isBlank()) {
            b.include(include.trim());
        }
        if (!Util.fixNull(exclude).isBlank()) {
            b.exclude(exclude.trim());
        }
        return b;
    }

    /** On the cron thread: hands one poll to the executor, never doing I/O here. A disabled job does not poll. */
    @Override
    public void run() {
        submitPoll();
    }

    /**
     * Submits a poll now (what a cron tick does).
     *
     * @return the poll's future, or null if nothing was submitted (not started, disabled, or a poll is running)
     */
    @CheckForNull
    Future<?> submitPoll() {
        Job<?, ?> j = job;
        if (j == null || !j.isBuildable()) {
            return null;
        }
        AzureBlobTrigger trigger = this;
        return getDescriptor().polls.submit(j, skippedTicks -> new BlobTriggerPoll(j, trigger, skippedTicks).run());
    }

    @Override
    public Collection<? extends Action> getProjectActions() {
        Job<?, ?> j = job;
        return j == null ? List.of() : List.of(new AzureBlobPollingLogAction(j));
    }

    @Override
    public DescriptorImpl getDescriptor() {
        return (DescriptorImpl) super.getDescriptor();
    }

    /** The trigger's descriptor: applicability, the poll executor and the configuration form's endpoints. */
    @Extension
    @Symbol("azureBlob")
    public static final class DescriptorImpl extends TriggerDescriptor {
        final transient BlobPollExecutor polls = new BlobPollExecutor();
        /** Push mode: one consumer per event queue. */
        final transient BlobEventQueues events = new BlobEventQueues();

        @Override
        public boolean isApplicable(Item item) {
            return item instanceof Job && item instanceof ParameterizedJobMixIn.ParameterizedJob;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Build when blobs arrive in Azure Blob Storage (polling or Event Grid push)";
        }

        /**
         * The form's push mode box unchecked means polling: its inline block still sends the queue field, which is
         * dropped here. A form without the box (older pages, the REST API) keeps the queue it sends.
         */
        @Override
        public Trigger<?> newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject form = formData;
            if (formData.has("pushMode") && !formData.optBoolean("pushMode")) {
                form = JSONObject.fromObject(formData);
                form.remove("eventQueueUrl");
            }
            return super.newInstance(req, form);
        }

        @POST
        public FormValidation doCheckSpec(@QueryParameter String value, @AncestorInPath Item item) {
            return AzureBlobTriggerForm.checkSpec(value, item);
        }

        @POST
        public FormValidation doCheckAccountUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return AzureBlobTriggerForm.checkField(item, "accountUrl", b -> b.accountUrl(value));
        }

        @POST
        public FormValidation doCheckContainer(@AncestorInPath Item item, @QueryParameter String value) {
            return AzureBlobTriggerForm.checkField(item, "container", b -> b.container(Util.fixNull(value).trim()));
        }

        @POST
        public FormValidation doCheckPrefix(@AncestorInPath Item item, @QueryParameter String value) {
            return AzureBlobTriggerForm.checkField(item, "prefix", b -> b.prefix(value));
        }

        @POST
        public FormValidation doCheckInclude(@AncestorInPath Item item, @QueryParameter String value) {
            return Util.fixNull(value).isBlank() ? FormValidation.ok()
                    : AzureBlobTriggerForm.checkField(item, "include", b -> b.include(value.trim()));
        }

        @POST
        public FormValidation doCheckExclude(@AncestorInPath Item item, @QueryParameter String value) {
            return Util.fixNull(value).isBlank() ? FormValidation.ok()
                    : AzureBlobTriggerForm.checkField(item, "exclude", b -> b.exclude(value.trim()));
        }

        @POST
        public FormValidation doCheckEventQueueUrl(@AncestorInPath Item item, @QueryParameter String value) {
            if (!AzureBlobTriggerForm.canConfigure(item) || Util.fixNull(value).isBlank()) {
                return FormValidation.ok();
            }
            try {
                EventQueueClientFactory.forQueueUrl(value);
                return FormValidation.ok();
            } catch (InvalidFieldException e) {
                return FormValidation.error(e.getProblem());
            }
        }

        @POST
        public FormValidation doCheckMaxChangesPerPoll(@AncestorInPath Item item, @QueryParameter String value) {
            return AzureBlobTriggerForm.canConfigure(item) ? FormValidation.validateNonNegativeInteger(value)
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckLateArrivalMargin(@AncestorInPath Item item, @QueryParameter String value) {
            return AzureBlobTriggerForm.checkLateArrivalMargin(item, value);
        }

        /** Lists credential names, so POST only (the drop-down fills with POST); nothing without permission. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String credentialsId) {
            return AzureBlobTriggerForm.fillCredentialsIdItems(item, credentialsId);
        }

        /**
         * "Test connection": lists the container with the form's settings and, in push mode, peeks at the event
         * queue (contacts Azure, so POST).
         */
        @POST
        public FormValidation doTestConnection(@AncestorInPath Item item, @QueryParameter String credentialsId,
                @QueryParameter String accountUrl, @QueryParameter String container, @QueryParameter String prefix,
                @QueryParameter String include, @QueryParameter String exclude,
                @QueryParameter String includeSubfolders, @QueryParameter String ignoreEmptyBlobs,
                @QueryParameter String eventQueueUrl) {
            return AzureBlobTriggerForm.testConnection(item, credentialsId, accountUrl, container, prefix, include,
                    exclude, AzureBlobTriggerForm.checkbox(includeSubfolders, true),
                    AzureBlobTriggerForm.checkbox(ignoreEmptyBlobs, true), eventQueueUrl);
        }
    }
}
