package io.carpoperator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Server-side printing, as a real API server does it for `kubectl get`: turns an object or a list into a
 * meta.k8s.io/v1 Table whose columns are NAME, the CRD's additionalPrinterColumns (or AGE for built-in kinds).
 * Only the simple `.a.b.c` JSONPaths our CRD uses are evaluated; date columns print as an age like kubectl's.
 */
final class ServerSideTable {

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<CustomResourceColumnDefinition>> columnsByKind;

    /** @param columnsByKind printer columns per kind (e.g. VirtualIP); other kinds get NAME and AGE */
    ServerSideTable(Map<String, List<CustomResourceColumnDefinition>> columnsByKind) {
        this.columnsByKind = columnsByKind;
    }

    /** @param kind the kind of the object or of the list's items (the mock server's lists say only "List") */
    String render(String body, String kind, Instant now) throws java.io.IOException {
        JsonNode document = json.readTree(body);
        List<JsonNode> items = new ArrayList<>();
        if (document.has("items")) {
            document.get("items").forEach(items::add);
        } else {
            items.add(document);
        }
        List<CustomResourceColumnDefinition> columns = columnsByKind.getOrDefault(kind, List.of(ageColumn()));

        ObjectNode table = json.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", document.path("metadata").path("resourceVersion").asText(""));
        ArrayNode definitions = table.putArray("columnDefinitions");
        definitions.addObject().put("name", "Name").put("type", "string").put("format", "name").put("priority", 0)
                .put("description", "Name of the object");
        for (CustomResourceColumnDefinition column : columns) {
            definitions.addObject().put("name", column.getName()).put("type", column.getType())
                    .put("format", column.getFormat() == null ? "" : column.getFormat())
                    .put("priority", column.getPriority() == null ? 0 : column.getPriority())
                    .put("description", column.getDescription() == null ? "" : column.getDescription());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(item.path("metadata").path("name").asText());
            for (CustomResourceColumnDefinition column : columns) {
                cells.add(cell(item, column, now));
            }
            ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", item.path("metadata").deepCopy());
        }
        return table.toString();
    }

    private JsonNode cell(JsonNode item, CustomResourceColumnDefinition column, Instant now) {
        JsonNode value = item;
        for (String field : column.getJsonPath().replaceFirst("^\\.", "").split("\\.")) {
            value = value.path(field);
        }
        if (value.isMissingNode() || value.isNull()) {
            return json.nullNode();
        }
        if ("date".equals(column.getType())) {
            try {
                return json.getNodeFactory().textNode(age(Duration.between(Instant.parse(value.asText()), now)));
            } catch (DateTimeParseException e) {
                return json.getNodeFactory().textNode(value.asText());
            }
        }
        return value;
    }

    private static CustomResourceColumnDefinition ageColumn() {
        var age = new CustomResourceColumnDefinition();
        age.setName("Age");
        age.setType("date");
        age.setJsonPath(".metadata.creationTimestamp");
        return age;
    }

    /** kubectl's short human duration: 45s, 3m12s, 15m, 5h3m, 2d4h, 20d. */
    static String age(Duration elapsed) {
        long seconds = Math.max(0, elapsed.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return minutes + "m" + (seconds % 60 == 0 ? "" : (seconds % 60) + "s");
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return hours + "h" + (minutes % 60 == 0 ? "" : (minutes % 60) + "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = hours / 24;
        return days < 8 && hours % 24 != 0 ? days + "d" + (hours % 24) + "h" : days + "d";
    }
}
