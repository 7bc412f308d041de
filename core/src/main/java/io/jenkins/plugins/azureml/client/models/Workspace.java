package io.jenkins.plugins.azureml.client.models;

import java.io.Serializable;
import java.util.Objects;

/** An Azure Machine Learning workspace, identified by subscription, resource group and name. */
public final class Workspace implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String subscriptionId;
    private final String resourceGroup;
    private final String name;

    public Workspace(String subscriptionId, String resourceGroup, String name) {
        this.subscriptionId = requireText(subscriptionId, "subscriptionId");
        this.resourceGroup = requireText(resourceGroup, "resourceGroup");
        this.name = requireText(name, "name");
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
