package io.carpoperator.api;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr.CelCall;
import dev.cel.common.ast.CelExpr.CelComprehension;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The worst-case cost a kube-apiserver estimates for each x-kubernetes-validations rule of a CRD when it is created,
 * ported from Kubernetes so a unit test can keep the CRD within the budget without an API server.
 * <p>
 * Three parts, each a port of one upstream file:
 * <ul>
 * <li>{@link Decl}: the CEL declaration of a schema node with its maximum size and minimum serialized size
 * (k8s.io/apiserver/pkg/cel/common/schemas.go {@code SchemaDeclType}, types.go, limits.go);</li>
 * <li>{@link Coster}: the static cost of one expression (github.com/google/cel-go/checker/cost.go), with the
 * path-based size look-up of k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/compilation.go
 * {@code sizeEstimator};</li>
 * <li>{@link #estimate(JSONSchemaProps)}: the walk that multiplies each rule's cost by the number of times it can run
 * (k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/cel_validation.go {@code childContext},
 * {@code extractMaxElements}; validation.go {@code getExpressionCost}; compilation.go {@code maxCardinality}).</li>
 * </ul>
 * Costs saturate at {@link Long#MAX_VALUE} where Go's saturate at 2^64-1; both mean "unbounded".
 * Only standard CEL is declared: a rule using a Kubernetes library function (isIP, quantity, ...) fails to compile
 * here, so its cost is ported before it is used rather than guessed.
 */
final class CelCostEstimator {
    /** validation.go StaticEstimatedCostLimit: a rule above this makes the API server reject the CRD. */
    static final long PER_RULE_LIMIT = 10_000_000L;
    /** validation.go StaticEstimatedCRDCostLimit: the sum over all rules. */
    static final long PER_CRD_LIMIT = 100_000_000L;
    /** k8s.io/apiserver/pkg/apis/cel/config.go MaxRequestSizeBytes. */
    static final long MAX_REQUEST_SIZE_BYTES = 3L * 1024 * 1024;

    private static final long MIN_STRING_SIZE = 2;
    private static final long MIN_BOOL_SIZE = 4;
    private static final long MIN_NUMBER_SIZE = 1;
    private static final long MAX_DURATION_SIZE_JSON = 32;
    private static final long MIN_DURATION_SIZE_JSON = 3;
    private static final long JSON_DATE_SIZE = 12;
    private static final long MAX_DATETIME_SIZE_JSON = 32;
    private static final long MIN_DATETIME_SIZE_JSON = 21;
    private static final long NAME_MAX_LENGTH = 253;
    private static final Set<String> CEL_RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");

    /** One rule (or messageExpression): where it is, its cost per evaluation, how often it can run, and the product. */
    record RuleCost(String path, String expression, long maxCost, long cardinality, long cost) {
    }

    private CelCostEstimator() {
    }

    static List<RuleCost> estimate(CustomResourceDefinition crd) {
        List<RuleCost> costs = new ArrayList<>();
        crd.getSpec().getVersions().forEach(v -> costs.addAll(estimate(v.getSchema().getOpenAPIV3Schema())));
        return costs;
    }

    static List<RuleCost> estimate(JSONSchemaProps openApiV3Schema) {
        Types types = new Types();
        types.declOf(openApiV3Schema, true);
        List<RuleCost> costs = new ArrayList<>();
        visit(openApiV3Schema, "", 1L, types, costs);
        return costs;
    }

    static long total(List<RuleCost> costs) {
        return costs.stream().mapToLong(RuleCost::cost).reduce(0L, Saturating::add);
    }

    /** cel_validation.go childContext: cardinality is the product of maxItems/maxProperties above; null is unbounded. */
    private static void visit(JSONSchemaProps schema, String path, Long cardinality, Types types, List<RuleCost> costs) {
        List<ValidationRule> rules = schema.getXKubernetesValidations();
        if (rules != null && !rules.isEmpty()) {
            Decl decl = types.declFor(schema);
            if (decl == null) {
                throw new IllegalArgumentException(path + ": failed to convert to declType for CEL validation rules");
            }
            for (int i = 0; i < rules.size(); i++) {
                ValidationRule rule = rules.get(i);
                String where = (path.isEmpty() ? "<root>" : path) + " x-kubernetes-validations[" + i + "]";
                if (rule.getRule() != null && !rule.getRule().isBlank()) {
                    costs.add(ruleCost(where + ".rule", rule.getRule(), decl, cardinality, types));
                }
                if (rule.getMessageExpression() != null && !rule.getMessageExpression().isBlank()) {
                    costs.add(ruleCost(where + ".messageExpression", rule.getMessageExpression(), decl, cardinality, types));
                }
            }
        }
        Long childCardinality = null;
        Long factor = maxElements(schema);
        if (cardinality != null && factor != null) {
            childCardinality = Saturating.multiply(cardinality, factor);
        }
        if (schema.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
                visit(p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), childCardinality, types, costs);
            }
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            visit(schema.getItems().getSchema(), path + "[*]", childCardinality, types, costs);
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            visit(schema.getAdditionalProperties().getSchema(), path + "[*]", childCardinality, types, costs);
        }
    }

    /** cel_validation.go extractMaxElements. */
    private static Long maxElements(JSONSchemaProps schema) {
        String type = schema.getType() == null ? "" : schema.getType();
        switch (type) {
            case "object":
                if (schema.getAdditionalProperties() != null
                        && (schema.getAdditionalProperties().getSchema() != null || Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows()))) {
                    return schema.getMaxProperties() == null ? null : Math.max(0, schema.getMaxProperties());
                }
                return 1L;
            case "array":
                return schema.getMaxItems() == null ? null : Math.max(0, schema.getMaxItems());
            default:
                return 1L;
        }
    }

    /** validation.go getExpressionCost, with compilation.go maxCardinality when a list or map above is unbounded. */
    private static RuleCost ruleCost(String where, String expression, Decl self, Long cardinality, Types types) {
        CelAbstractSyntaxTree ast = types.compile(expression, self, where);
        long maxCost = new Coster(ast, self).cost(ast.getExpr()).max();
        long times = cardinality != null ? cardinality : MAX_REQUEST_SIZE_BYTES / (self.minSerializedSize + 1);
        return new RuleCost(where, expression, maxCost, times, Saturating.multiply(maxCost, times));
    }

    /** The CEL declaration of a schema node (k8s.io/apiserver/pkg/cel/types.go DeclType), reduced to what cost needs. */
    static final class Decl {
        final CelType celType;
        final Map<String, Decl> fields;
        final Decl keyType;
        final Decl elemType;
        final long maxElements;
        final long minSerializedSize;

        Decl(CelType celType, Map<String, Decl> fields, Decl keyType, Decl elemType, long maxElements, long minSerializedSize) {
            this.celType = celType;
            this.fields = fields;
            this.keyType = keyType;
            this.elemType = elemType;
            this.maxElements = maxElements;
            this.minSerializedSize = minSerializedSize;
        }

        static Decl simple(CelType type, long minSize, long maxElements) {
            return new Decl(type, Map.of(), null, null, maxElements, minSize);
        }
    }

    /** Declarations for every schema node, and the struct types the CEL checker needs to type field selections. */
    private static final class Types implements CelTypeProvider {
        private final Map<JSONSchemaProps, Decl> bySchema = new IdentityHashMap<>();
        private final Map<String, CelType> structs = new LinkedHashMap<>();

        Decl declFor(JSONSchemaProps schema) {
            return bySchema.get(schema);
        }

        /** schemas.go SchemaDeclType. */
        Decl declOf(JSONSchemaProps s, boolean isResourceRoot) {
            Decl decl = convert(s, isResourceRoot);
            bySchema.put(s, decl);
            return decl;
        }

        private Decl convert(JSONSchemaProps s, boolean isResourceRoot) {
            if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
                return Decl.simple(SimpleType.DYN, 1, s.getMaxLength() != null
                        ? Math.max(0, s.getMaxLength()) * 4 : MAX_REQUEST_SIZE_BYTES - 2);
            }
            String type = s.getType() == null ? "" : s.getType();
            switch (type) {
                case "array": {
                    if (s.getItems() == null || s.getItems().getSchema() == null) {
                        return null;
                    }
                    JSONSchemaProps items = s.getItems().getSchema();
                    Decl elem = declOf(items, Boolean.TRUE.equals(items.getXKubernetesEmbeddedResource()));
                    if (elem == null) {
                        return null;
                    }
                    long maxItems = s.getMaxItems() != null ? Math.max(0, s.getMaxItems())
                            : (MAX_REQUEST_SIZE_BYTES - 2) / (elem.minSerializedSize + 1);
                    return new Decl(ListType.create(elem.celType), Map.of(), null, elem, maxItems, 2);
                }
                case "object": {
                    if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
                        JSONSchemaProps values = s.getAdditionalProperties().getSchema();
                        Decl elem = declOf(values, Boolean.TRUE.equals(values.getXKubernetesEmbeddedResource()));
                        if (elem == null) {
                            return null;
                        }
                        long maxProperties = s.getMaxProperties() != null ? Math.max(0, s.getMaxProperties())
                                : (MAX_REQUEST_SIZE_BYTES - 2) / (elem.minSerializedSize + 6);
                        Decl key = Decl.simple(SimpleType.STRING, MIN_STRING_SIZE, 0);
                        return new Decl(MapType.create(SimpleType.STRING, elem.celType), Map.of(), key, elem, maxProperties, 2);
                    }
                    Map<String, JSONSchemaProps> props = new LinkedHashMap<>();
                    if (s.getProperties() != null) {
                        props.putAll(s.getProperties());
                    }
                    if (isResourceRoot) {
                        withTypeAndObjectMeta(props);
                    }
                    Set<String> required = s.getRequired() == null ? Set.of() : Set.copyOf(s.getRequired());
                    Map<String, Decl> fields = new LinkedHashMap<>();
                    long minSerializedSize = 2;
                    for (Map.Entry<String, JSONSchemaProps> p : props.entrySet()) {
                        JSONSchemaProps prop = p.getValue();
                        Decl field = declOf(prop, Boolean.TRUE.equals(prop.getXKubernetesEmbeddedResource()));
                        if (field == null) {
                            continue;
                        }
                        if (isPlainIdentifier(p.getKey())) {
                            fields.put(p.getKey(), field);
                        }
                        if (required.contains(p.getKey()) && prop.getDefault() == null) {
                            minSerializedSize += p.getKey().length() + field.minSerializedSize + 4;
                        }
                    }
                    String name = "object" + structs.size();
                    Map<String, CelType> fieldTypes = new HashMap<>();
                    fields.forEach((k, v) -> fieldTypes.put(k, v.celType));
                    StructType struct = StructType.create(name, ImmutableSet.copyOf(fieldTypes.keySet()),
                            f -> Optional.ofNullable(fieldTypes.get(f)));
                    structs.put(name, struct);
                    return new Decl(struct, fields, null, null, 0, minSerializedSize);
                }
                case "string":
                    return stringDecl(s);
                case "boolean":
                    return Decl.simple(SimpleType.BOOL, MIN_BOOL_SIZE, 0);
                case "number":
                    return Decl.simple(SimpleType.DOUBLE, MIN_NUMBER_SIZE, 0);
                case "integer":
                    return Decl.simple(SimpleType.INT, MIN_NUMBER_SIZE, 0);
                default:
                    return null;
            }
        }

        private static Decl stringDecl(JSONSchemaProps s) {
            String format = s.getFormat() == null ? "" : s.getFormat();
            switch (format) {
                case "byte":
                    return Decl.simple(SimpleType.BYTES, MIN_STRING_SIZE,
                            s.getMaxLength() != null ? Math.max(0, s.getMaxLength()) : MAX_REQUEST_SIZE_BYTES - 2);
                case "duration":
                    return Decl.simple(SimpleType.DURATION, MIN_DURATION_SIZE_JSON, MAX_DURATION_SIZE_JSON);
                case "date":
                    return Decl.simple(SimpleType.TIMESTAMP, JSON_DATE_SIZE, JSON_DATE_SIZE);
                case "date-time":
                    return Decl.simple(SimpleType.TIMESTAMP, MIN_DATETIME_SIZE_JSON, MAX_DATETIME_SIZE_JSON);
                default:
                    break;
            }
            long maxElements;
            if (s.getMaxLength() != null) {
                // schemas.go estimateMaxElementsFromMaxLength: maxLength counts runes, a rune is up to 4 bytes
                maxElements = Math.max(0, s.getMaxLength()) * 4;
            } else if (s.getEnum() != null && !s.getEnum().isEmpty()) {
                maxElements = s.getEnum().stream().filter(e -> e.isTextual()).mapToLong(e -> e.asText().length()).max().orElse(0);
            } else {
                maxElements = MAX_REQUEST_SIZE_BYTES - 2;
            }
            return Decl.simple(SimpleType.STRING, MIN_STRING_SIZE, maxElements);
        }

        /** schemas.go WithTypeAndObjectMeta: rules at a resource root may read apiVersion, kind and metadata names. */
        private static void withTypeAndObjectMeta(Map<String, JSONSchemaProps> props) {
            JSONSchemaProps string = new JSONSchemaProps();
            string.setType("string");
            props.putIfAbsent("kind", string);
            props.putIfAbsent("apiVersion", string);
            JSONSchemaProps name = new JSONSchemaProps();
            name.setType("string");
            name.setMaxLength(NAME_MAX_LENGTH);
            JSONSchemaProps generateName = new JSONSchemaProps();
            generateName.setType("string");
            generateName.setMaxLength(NAME_MAX_LENGTH - 1);
            JSONSchemaProps metadata = new JSONSchemaProps();
            metadata.setType("object");
            metadata.setProperties(new LinkedHashMap<>(Map.of("name", name, "generateName", generateName)));
            props.put("metadata", metadata);
        }

        /** Kubernetes escapes other names (escaping.go); a rule reading one fails to compile here instead. */
        private static boolean isPlainIdentifier(String name) {
            return name.matches("[a-zA-Z_][a-zA-Z0-9_]*") && !name.contains("__") && !CEL_RESERVED.contains(name);
        }

        CelAbstractSyntaxTree compile(String expression, Decl self, String where) {
            CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .setTypeProvider(this)
                    .addVar("self", self.celType)
                    .addVar("oldSelf", self.celType)
                    .build();
            try {
                return compiler.compile(expression).getAst();
            } catch (CelValidationException e) {
                throw new IllegalArgumentException(where + ": '" + expression + "' does not compile: " + e.getMessage(), e);
            }
        }

        @Override
        public ImmutableCollection<CelType> types() {
            return ImmutableSet.copyOf(structs.values());
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return Optional.ofNullable(structs.get(typeName));
        }
    }

    /** cel-go checker/cost.go CostEstimate and SizeEstimate (one type here: both are a min-max range). */
    record Range(long min, long max) {
        static final Range UNKNOWN = new Range(0, Long.MAX_VALUE);

        static Range fixed(long v) {
            return new Range(v, v);
        }

        Range add(Range o) {
            return new Range(Saturating.add(min, o.min), Saturating.add(max, o.max));
        }

        Range multiply(Range o) {
            return new Range(Saturating.multiply(min, o.min), Saturating.multiply(max, o.max));
        }

        Range multiplyByCostFactor(double factor) {
            return new Range(Saturating.multiplyByCostFactor(min, factor), Saturating.multiplyByCostFactor(max, factor));
        }

        Range union(Range o) {
            return new Range(Math.min(min, o.min), Math.max(max, o.max));
        }
    }

    /** cel-go common/cost.go. */
    private static final long SELECT_AND_IDENT_COST = 1;
    private static final long CONST_COST = 0;
    private static final long LIST_CREATE_BASE_COST = 10;
    private static final long MAP_CREATE_BASE_COST = 30;
    private static final long STRUCT_CREATE_BASE_COST = 40;
    private static final double STRING_TRAVERSAL_COST_FACTOR = 0.1;
    private static final double REGEX_STRING_LENGTH_COST_FACTOR = 0.25;
    private static final String ACCUMULATOR_NAME = "__result__";
    private static final String HIDDEN_ACCUMULATOR_NAME = "@result";

    /** A port of cel-go checker/cost.go's coster: the standard functions' estimates, comprehensions and sizes. */
    static final class Coster {
        private final CelAbstractSyntaxTree ast;
        private final Decl root;
        private final Map<Long, List<String>> exprPaths = new HashMap<>();
        private final Map<String, Deque<LocalVar>> localVars = new HashMap<>();
        private final Map<Long, Range> computedSizes = new HashMap<>();
        private final Map<Long, EntrySize> computedEntrySizes = new HashMap<>();

        private record LocalVar(List<String> path, Range size, EntrySize entrySize) {
        }

        /** containerKind is LIST or MAP; key and val are the sizes of a container literal's keys/indices and values. */
        private record EntrySize(CelKind containerKind, Range key, Range val) {
            EntrySize union(EntrySize other) {
                if (other == null) {
                    return null;
                }
                return new EntrySize(containerKind, key.union(other.key), val.union(other.val));
            }
        }

        /** An AST node as the cost functions see it: its path from self, its type and its computed size. */
        private record Node(CelExpr expr, List<String> path, CelType type, Range computedSize) {
        }

        Coster(CelAbstractSyntaxTree ast, Decl root) {
            this.ast = ast;
            this.root = root;
        }

        Range cost(CelExpr e) {
            if (e == null) {
                return Range.fixed(0);
            }
            switch (e.getKind()) {
                case CONSTANT:
                    return Range.fixed(CONST_COST);
                case IDENT:
                    return costIdent(e);
                case SELECT:
                    return costSelect(e);
                case CALL:
                    return costCall(e);
                case LIST:
                    return costCreateList(e);
                case MAP:
                    return costCreateMap(e);
                case STRUCT:
                    return costCreateStruct(e);
                case COMPREHENSION:
                    return isBind(e) ? costBind(e) : costComprehension(e);
                default:
                    return Range.fixed(0);
            }
        }

        private Range costIdent(CelExpr e) {
            String name = e.ident().name();
            LocalVar v = peek(name);
            exprPaths.put(e.id(), v != null ? v.path : List.of(name));
            return Range.fixed(SELECT_AND_IDENT_COST);
        }

        private Range costSelect(CelExpr e) {
            var sel = e.select();
            Range sum = Range.fixed(0);
            if (sel.testOnly()) {
                // has() costs only its operand: k8s.io/apiserver/pkg/cel/environment/base.go sets PresenceTestHasCost(false)
                return sum.add(cost(sel.operand()));
            }
            sum = sum.add(cost(sel.operand()));
            CelKind kind = type(sel.operand()).kind();
            if (kind == CelKind.MAP || kind == CelKind.STRUCT || kind == CelKind.TYPE_PARAM) {
                sum = sum.add(Range.fixed(SELECT_AND_IDENT_COST));
            }
            exprPaths.put(e.id(), append(path(sel.operand()), sel.field()));
            return sum;
        }

        private Range costCall(CelExpr e) {
            CelCall call = e.call();
            if (call.function().equals("dyn") && call.args().size() == 1) {
                Range argCost = cost(call.args().get(0));
                copySizeEstimates(e, call.args().get(0));
                return Range.fixed(1).add(argCost);
            }
            List<CelExpr> args = call.args();
            Range sum = Range.fixed(0);
            List<Node> argNodes = new ArrayList<>();
            List<Range> argCosts = new ArrayList<>();
            for (CelExpr arg : args) {
                argCosts.add(cost(arg));
                argNodes.add(node(arg));
            }
            List<String> overloadIds = ast.getReference(e.id()).map(CelReference::overloadIds).orElse(null);
            if (overloadIds == null || overloadIds.isEmpty()) {
                return Range.fixed(0);
            }
            Node target = null;
            if (call.target().isPresent()) {
                sum = sum.add(cost(call.target().get()));
                target = node(call.target().get());
            }
            Range fnCost = new Range(Long.MAX_VALUE, 0);
            Range resultSize = null;
            for (String overload : overloadIds) {
                CallEstimate est = functionCost(e, overload, target, argNodes, argCosts);
                fnCost = fnCost.union(est.cost);
                if (est.resultSize != null) {
                    resultSize = resultSize == null ? est.resultSize : resultSize.union(est.resultSize);
                }
                if (overload.equals("index_list") && !args.isEmpty()) {
                    EntrySize entry = computeEntrySize(args.get(0));
                    resultSize = entry == null ? null : entry.val;
                    exprPaths.put(e.id(), append(path(args.get(0)), "@items"));
                } else if (overload.equals("index_map") && !args.isEmpty()) {
                    EntrySize entry = computeEntrySize(args.get(0));
                    resultSize = entry == null ? null : entry.val;
                    exprPaths.put(e.id(), append(path(args.get(0)), "@values"));
                }
                if (resultSize == null) {
                    resultSize = computeSize(e);
                }
            }
            setSize(e, resultSize);
            return sum.add(fnCost);
        }

        private record CallEstimate(Range cost, Range resultSize) {
        }

        /**
         * cel-go functionCost. Kubernetes' library estimator (k8s.io/apiserver/pkg/cel/library/cost.go) runs first
         * there but answers only for its own functions and types, none of which are declared here.
         */
        private CallEstimate functionCost(CelExpr e, String overloadId, Node target, List<Node> args, List<Range> argCosts) {
            Range argCostSum = argCosts.stream().reduce(Range.fixed(0), Range::add);
            switch (overloadId) {
                case "string_to_bytes": {
                    Range sz = sizeOrUnknown(args.get(0));
                    return new CallEstimate(sz.multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR).add(argCostSum),
                            new Range(sz.min(), Saturating.multiply(sz.max(), 4)));
                }
                case "bytes_to_string": {
                    Range sz = sizeOrUnknown(args.get(0));
                    return new CallEstimate(sz.multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR).add(argCostSum),
                            new Range(sz.min() / 4, sz.max()));
                }
                case "starts_with_string":
                case "ends_with_string":
                    if (args.size() == 1) {
                        return new CallEstimate(sizeOrUnknown(args.get(0)).multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR).add(argCostSum), null);
                    }
                    break;
                case "in_list":
                    // containment in a list is taken as O(n), even for a list of constants
                    if (args.size() == 2) {
                        return new CallEstimate(sizeOrUnknown(args.get(1)).multiplyByCostFactor(1).add(argCostSum), null);
                    }
                    break;
                case "matches_string":
                    if (target != null && args.size() == 1) {
                        // one is added to the string length so an empty string against an expensive regex is not free
                        Range strCost = sizeOrUnknown(target).add(Range.fixed(1)).multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR);
                        Range regexCost = sizeOrUnknown(args.get(0)).multiplyByCostFactor(REGEX_STRING_LENGTH_COST_FACTOR);
                        return new CallEstimate(strCost.multiply(regexCost).add(argCostSum), null);
                    }
                    break;
                case "contains_string":
                    if (target != null && args.size() == 1) {
                        Range strCost = sizeOrUnknown(target).multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR);
                        Range substrCost = sizeOrUnknown(args.get(0)).multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR);
                        return new CallEstimate(strCost.multiply(substrCost).add(argCostSum), null);
                    }
                    break;
                case "logical_or":
                case "logical_and": {
                    Range lhs = argCosts.get(0);
                    Range rhs = argCosts.get(1);
                    // the minimum is the left side alone: && and || short-circuit
                    return new CallEstimate(new Range(lhs.min(), lhs.add(rhs).max()), null);
                }
                case "conditional": {
                    Range size = sizeOrUnknown(args.get(1)).union(sizeOrUnknown(args.get(2)));
                    EntrySize t = computeEntrySize(args.get(1).expr());
                    EntrySize f = computeEntrySize(args.get(2).expr());
                    setEntrySize(e, t == null ? null : t.union(f));
                    Range argCost = argCosts.get(0).add(argCosts.get(1).union(argCosts.get(2)));
                    return new CallEstimate(argCost, size);
                }
                case "add_string":
                case "add_bytes":
                case "add_list":
                    if (args.size() == 2) {
                        Range resultSize = sizeOrUnknown(args.get(0)).add(sizeOrUnknown(args.get(1)));
                        EntrySize l = computeEntrySize(args.get(0).expr());
                        EntrySize r = computeEntrySize(args.get(1).expr());
                        EntrySize entry = l == null ? null : l.union(r);
                        if (entry != null) {
                            setEntrySize(e, entry);
                        }
                        if (overloadId.equals("add_list")) {
                            // list concatenation is O(1); it is handled here to track the size
                            return new CallEstimate(Range.fixed(1).add(argCostSum), resultSize);
                        }
                        return new CallEstimate(resultSize.multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR).add(argCostSum), resultSize);
                    }
                    break;
                case "less_string":
                case "greater_string":
                case "less_equals_string":
                case "greater_equals_string":
                case "less_bytes":
                case "greater_bytes":
                case "less_equals_bytes":
                case "greater_equals_bytes":
                case "equals":
                case "not_equals": {
                    Range lhs = sizeOrUnknown(args.get(0));
                    Range rhs = sizeOrUnknown(args.get(1));
                    long smallestMax = Math.min(lhs.max(), rhs.max());
                    long min = smallestMax > 0 ? 1 : 0;
                    // equality of two scalars costs 1; of strings, the shorter one's traversal
                    return new CallEstimate(new Range(min, smallestMax).multiplyByCostFactor(STRING_TRAVERSAL_COST_FACTOR).add(argCostSum), null);
                }
                default:
                    break;
            }
            // O(1) functions: most other operations take about one base cost unit
            return new CallEstimate(Range.fixed(1).add(argCostSum), null);
        }

        private Range costCreateList(CelExpr e) {
            var list = e.list();
            Range sum = Range.fixed(0);
            Range itemSize = new Range(list.elements().isEmpty() ? 0 : Long.MAX_VALUE, 0);
            for (CelExpr item : list.elements()) {
                sum = sum.add(cost(item));
                itemSize = itemSize.union(sizeOrUnknown(item));
            }
            setEntrySize(e, new EntrySize(CelKind.LIST, Range.fixed(1), itemSize));
            return sum.add(Range.fixed(LIST_CREATE_BASE_COST));
        }

        private Range costCreateMap(CelExpr e) {
            var map = e.map();
            Range sum = Range.fixed(0);
            boolean empty = map.entries().isEmpty();
            Range keySize = new Range(empty ? 0 : Long.MAX_VALUE, 0);
            Range valSize = new Range(empty ? 0 : Long.MAX_VALUE, 0);
            for (var entry : map.entries()) {
                sum = sum.add(cost(entry.key())).add(cost(entry.value()));
                keySize = keySize.union(sizeOrUnknown(entry.key()));
                valSize = valSize.union(sizeOrUnknown(entry.value()));
            }
            setEntrySize(e, new EntrySize(CelKind.MAP, keySize, valSize));
            return sum.add(Range.fixed(MAP_CREATE_BASE_COST));
        }

        private Range costCreateStruct(CelExpr e) {
            Range sum = Range.fixed(0);
            for (var entry : e.struct().entries()) {
                sum = sum.add(cost(entry.value()));
            }
            return sum.add(Range.fixed(STRUCT_CREATE_BASE_COST));
        }

        private Range costComprehension(CelExpr e) {
            CelComprehension comp = e.comprehension();
            Range sum = Range.fixed(0);
            sum = sum.add(cost(comp.iterRange()));
            sum = sum.add(cost(comp.accuInit()));
            pushLocalVar(comp.accuVar(), comp.accuInit());
            boolean twoVars = comp.iterVar2() != null && !comp.iterVar2().isEmpty();
            if (twoVars) {
                pushIter(comp.iterVar(), comp.iterRange(), "@indices", "@keys", true);
                pushIter(comp.iterVar2(), comp.iterRange(), "@items", "@values", false);
            } else {
                pushIterSingle(comp.iterVar(), comp.iterRange());
            }
            Range loopCost = cost(comp.loopCondition());
            Range stepCost = cost(comp.loopStep());
            pop(comp.iterVar());
            if (twoVars) {
                pop(comp.iterVar2());
            }
            sum = sum.add(cost(comp.result()));
            pop(comp.accuVar());
            Range rangeCnt = sizeOrUnknown(comp.iterRange());
            sum = sum.add(rangeCnt.multiply(stepCost.add(loopCost)));
            switch (comp.accuInit().getKind()) {
                case CONSTANT:
                    setSize(e, computeSize(comp.accuInit()));
                    break;
                case LIST:
                case MAP:
                    setSize(e, rangeCnt);
                    EntrySize step = computeEntrySize(comp.loopStep());
                    if (step != null) {
                        setEntrySize(e, step);
                    }
                    break;
                default:
                    break;
            }
            return sum;
        }

        private boolean isBind(CelExpr e) {
            CelComprehension comp = e.comprehension();
            return comp.iterRange().getKind() == CelExpr.ExprKind.Kind.LIST && comp.iterRange().list().elements().isEmpty()
                    && comp.loopCondition().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && comp.loopCondition().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
                    && !comp.loopCondition().constant().booleanValue()
                    && !comp.accuVar().equals(ACCUMULATOR_NAME);
        }

        private Range costBind(CelExpr e) {
            CelComprehension comp = e.comprehension();
            // binds are lazily initialized, so the cost of an empty iteration range is kept
            Range sum = cost(comp.iterRange()).add(cost(comp.accuInit()));
            pushLocalVar(comp.accuVar(), comp.accuInit());
            sum = sum.add(cost(comp.result()));
            pop(comp.accuVar());
            copySizeEstimates(e, comp.result());
            return sum;
        }

        private void pushIterSingle(String name, CelExpr range) {
            EntrySize entry = computeEntrySize(range);
            CelKind container = entry != null ? entry.containerKind : type(range).kind();
            Range size = entry == null ? null : entry.key;
            String subpath = "@keys";
            if (container == CelKind.LIST) {
                size = entry == null ? null : entry.val;
                subpath = "@items";
            }
            push(name, new LocalVar(append(path(range), subpath), size, null));
        }

        private void pushIter(String name, CelExpr range, String listSubpath, String mapSubpath, boolean key) {
            EntrySize entry = computeEntrySize(range);
            CelKind container = entry != null ? entry.containerKind : type(range).kind();
            Range size = entry == null ? null : (key ? entry.key : entry.val);
            String subpath = container == CelKind.LIST ? listSubpath : mapSubpath;
            push(name, new LocalVar(append(path(range), subpath), size, null));
        }

        private void pushLocalVar(String name, CelExpr e) {
            push(name, new LocalVar(path(e), computeSize(e), computeEntrySize(e)));
        }

        private void push(String name, LocalVar v) {
            localVars.computeIfAbsent(name, k -> new ArrayDeque<>()).push(v);
        }

        private void pop(String name) {
            localVars.get(name).pop();
        }

        private LocalVar peek(String name) {
            Deque<LocalVar> stack = localVars.get(name);
            return stack == null || stack.isEmpty() ? null : stack.peek();
        }

        private CelType type(CelExpr e) {
            return ast.getType(e.id()).orElse(SimpleType.DYN);
        }

        private List<String> path(CelExpr e) {
            if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                LocalVar v = peek(e.ident().name());
                if (v != null) {
                    return v.path;
                }
            }
            return exprPaths.getOrDefault(e.id(), List.of());
        }

        private Node node(CelExpr e) {
            List<String> path = path(e);
            if (!path.isEmpty() && (path.get(0).equals(ACCUMULATOR_NAME) || path.get(0).equals(HIDDEN_ACCUMULATOR_NAME))) {
                // only paths to root variables are given; accumulators have none
                path = List.of();
            }
            return new Node(e, path, type(e), computeSize(e));
        }

        private void setSize(CelExpr e, Range size) {
            if (size != null) {
                computedSizes.put(e.id(), size);
            }
        }

        private Range sizeOrUnknown(CelExpr e) {
            Range size = computeSize(e);
            return size != null ? size : Range.UNKNOWN;
        }

        private static Range sizeOrUnknown(Node n) {
            return n.computedSize != null ? n.computedSize : Range.UNKNOWN;
        }

        private void copySizeEstimates(CelExpr dst, CelExpr src) {
            setSize(dst, computeSize(src));
            setEntrySize(dst, computeEntrySize(src));
        }

        private Range computeSize(CelExpr e) {
            Range known = computedSizes.get(e.id());
            if (known != null) {
                return known;
            }
            Range literal = computeExprSize(e);
            if (literal != null) {
                return literal;
            }
            Range estimated = estimateSize(path(e));
            if (estimated != null) {
                computedSizes.put(e.id(), estimated);
                return estimated;
            }
            if (isScalar(type(e))) {
                return Range.fixed(1);
            }
            if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                LocalVar v = peek(e.ident().name());
                if (v != null && v.size != null) {
                    return v.size;
                }
            }
            return null;
        }

        /** compilation.go sizeEstimator.EstimateSize: follow the path from self through the declarations. */
        private Range estimateSize(List<String> path) {
            if (path.isEmpty()) {
                return null;
            }
            Decl current = root;
            for (String name : path.subList(1, path.size())) {
                switch (name) {
                    case "@items":
                    case "@values":
                        current = current.elemType;
                        break;
                    case "@keys":
                        current = current.keyType;
                        break;
                    default:
                        current = current.fields.get(name);
                        break;
                }
                if (current == null) {
                    return null;
                }
            }
            return new Range(0, current.maxElements);
        }

        private void setEntrySize(CelExpr e, EntrySize size) {
            if (size != null) {
                computedEntrySizes.put(e.id(), size);
            }
        }

        private EntrySize computeEntrySize(CelExpr e) {
            EntrySize known = computedEntrySizes.get(e.id());
            if (known != null) {
                return known;
            }
            if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                LocalVar v = peek(e.ident().name());
                if (v != null) {
                    return v.entrySize;
                }
            }
            return null;
        }

        private static Range computeExprSize(CelExpr e) {
            switch (e.getKind()) {
                case CONSTANT: {
                    CelConstant c = e.constant();
                    switch (c.getKind()) {
                        case STRING_VALUE:
                            // size() of a string counts code points
                            return Range.fixed(c.stringValue().codePointCount(0, c.stringValue().length()));
                        case BYTES_VALUE:
                            return Range.fixed(c.bytesValue().size());
                        case BOOLEAN_VALUE:
                        case DOUBLE_VALUE:
                        case DURATION_VALUE:
                        case INT64_VALUE:
                        case TIMESTAMP_VALUE:
                        case UINT64_VALUE:
                        case NULL_VALUE:
                            return Range.fixed(1);
                        default:
                            return null;
                    }
                }
                case LIST:
                    return Range.fixed(e.list().elements().size());
                case MAP:
                    return Range.fixed(e.map().entries().size());
                default:
                    return null;
            }
        }

        private static boolean isScalar(CelType t) {
            switch (t.kind()) {
                case BOOL:
                case DOUBLE:
                case DURATION:
                case INT:
                case TIMESTAMP:
                case UINT:
                    return true;
                case OPAQUE:
                    return t.name().equals("optional_type") && isScalar(t.parameters().get(0));
                default:
                    return false;
            }
        }

        private static List<String> append(List<String> path, String element) {
            List<String> result = new ArrayList<>(path);
            result.add(element);
            return List.copyOf(result);
        }
    }

    /** Saturating arithmetic: cel-go's addUint64NoOverflow, multiplyUint64NoOverflow and multiplyByCostFactor. */
    static final class Saturating {
        private Saturating() {
        }

        static long add(long x, long y) {
            return x > Long.MAX_VALUE - y ? Long.MAX_VALUE : x + y;
        }

        static long multiply(long x, long y) {
            return y != 0 && x > Long.MAX_VALUE / y ? Long.MAX_VALUE : x * y;
        }

        /** Rounded up to the next integer, as cel-go does. */
        static long multiplyByCostFactor(long x, double factor) {
            if (x == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            double product = Math.ceil(x * factor);
            return product >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) product;
        }
    }
}
