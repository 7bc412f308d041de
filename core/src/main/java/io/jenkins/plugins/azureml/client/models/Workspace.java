package io.jenkins.plugins.azureml.client.models;

import io.jenkins.plugins.azureml.InvalidFieldException;
import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An Azure Machine Learning workspace, identified by subscription, resource group and name. */
public final class Workspace implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What {@link #parseResourceId} accepts, shown in its error messages. */
    public static final String RESOURCE_ID_EXAMPLE = "/subscriptions/<subscription id>/resourceGroups/<resource group>"
            + "/providers/Microsoft.MachineLearningServices/workspaces/<workspace name>";

    private static final Pattern RESOURCE_ID = Pattern.compile("/?subscriptions/([A-Za-z0-9-]+)/resourceGroups/"
            + "([-\\w._()]+)/providers/Microsoft\\.MachineLearningServices/workspaces/([A-Za-z0-9][A-Za-z0-9_-]*)/?",
            Pattern.CASE_INSENSITIVE);

    private final String subscriptionId;
    private final String resourceGroup;
    private final String name;

    public Workspace(String subscriptionId, String resourceGroup, String name) {
        this.subscriptionId = requireText(subscriptionId, "subscriptionId");
        this.resourceGroup = requireText(resourceGroup, "resourceGroup");
        this.name = requireText(name, "name");
    }

    /**
     * Parses a workspace's Azure resource id, as shown in the Azure portal (workspace > JSON view) or by
     * {@code az ml workspace show --query id}.
     *
     * @throws InvalidFieldException for field {@code workspace}, saying what a valid id looks like
     */
    public static Workspace parseResourceId(String resourceId) {
        if (resourceId == null || resourceId.isBlank()) {
            throw new InvalidFieldException("workspace", "The workspace resource id is empty. Use "
                    + RESOURCE_ID_EXAMPLE + ".");
        }
        Matcher m = RESOURCE_ID.matcher(resourceId.trim());
        if (!m.matches()) {
            throw new InvalidFieldException("workspace", "'" + resourceId.trim() + "' is not a workspace resource id."
                    + " Use " + RESOURCE_ID_EXAMPLE + " (Azure portal: the workspace's JSON view, or"
                    + " az ml workspace show --query id).");
        }
        return new Workspace(m.group(1), m.group(2), m.group(3));
    }

    public String getSubscriptionId() {
        return subscriptionId;
    }

    public String getResourceGroup() {
        return resourceGroup;
    }

    public String getName() {
        return name;
    }

    /** The workspace path used inside service URLs: {@code subscriptions/.../workspaces/{name}}. */
    public String servicePath() {
        return "subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.MachineLearningServices/workspaces/" + name;
    }

    /** The Azure resource id, {@code /subscriptions/.../workspaces/{name}}. */
    public String resourceId() {
        return "/" + servicePath();
    }

    /** The {@code wsid} value of Azure ML studio links. */
    public String studioWsid() {
        return "/subscriptions/" + subscriptionId + "/resourcegroups/" + resourceGroup + "/workspaces/" + name;
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workspace w && subscriptionId.equalsIgnoreCase(w.subscriptionId)
                && resourceGroup.equalsIgnoreCase(w.resourceGroup) && name.equalsIgnoreCase(w.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subscriptionId.toLowerCase(java.util.Locale.ROOT),
                resourceGroup.toLowerCase(java.util.Locale.ROOT), name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return servicePath();
    }
}
