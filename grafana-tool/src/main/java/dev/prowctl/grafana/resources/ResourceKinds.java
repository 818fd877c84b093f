package dev.prowctl.grafana.resources;

import java.util.List;

/** Every resource kind prowctl exports and imports, in import (dependency) order. */
public final class ResourceKinds {

    private ResourceKinds() {
    }

    /**
     * Datasources and folders before the dashboards that use them; contact points, templates and mute timings
     * before the policy tree that names them; folders before the alert rules that live in them.
     */
    public static List<ResourceHandler> all() {
        ContactPointHandler contactPoints = new ContactPointHandler();
        return List.of(new DatasourceHandler(), new FolderHandler(), new DashboardHandler(), contactPoints,
                new AlertNotificationHandler(contactPoints), new TemplateHandler(), new MuteTimingHandler(),
                new NotificationPolicyHandler(), new AlertRuleHandler());
    }

    /** The kind names, for --kinds. */
    public static List<String> names() {
        return all().stream().map(ResourceHandler::kind).toList();
    }
}
