package io.isoworker.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.isoworker.api.ModuleType;
import io.isoworker.api.WorkerModule;
import io.isoworker.isolate.SourceMap;
import io.isoworker.isolate.WorkerBundle;

/**
 * The source map decoder, on maps whose Base64 VLQ {@code mappings} were worked out by hand (no esbuild, no Node), and
 * {@link WorkerBundle#mapStack} on engine-shaped stacks.
 *
 * <p>VLQ: a value v is written as (|v| << 1 | sign) in 5-bit groups, least significant first, each a Base64 digit with
 * 32 added while more follow. So A=0, C=1, D=-1, E=2, K=5, Q=8, gB=16, hB=-16, w+B=1000.
 */
class SourceMapTest {

    /**
     * Line 1: AAAA          col 0 -> source 0, line 0, col 0
     * Line 2: (none)
     * Line 3: AACA,QAAQ     col 0 -> source 0, line 1, col 0; col 8 -> source 0, line 1, col 8
     * Line 4: ACEEA         col 0 -> source 1, line 3, col 10, name 0
     * Line 5: gBAw+BgB      col 16 -> source 1, line 1003, col 26
     * Line 6: A,KAAA        col 0 -> nothing; col 5 -> source 1, line 1003, col 26
     */
    static final String MAP = """
            {"version":3,"file":"index.js","sourceRoot":"","sources":["../../src/index.ts","../../src/./lib.ts"],
             "names":["boom"],"mappings":"AAAA;;AACA,QAAQ;ACEEA;gBAw+BgB;A,KAAA"}
            """;

    private static Optional<SourceMap.Position> at(SourceMap map, int line, int column) {
        return map.originalPosition(line, column);
    }

    private static SourceMap.Position pos(String source, int line, int column, String name) {
        return new SourceMap.Position(source, line, column, name);
    }

    @Test
    void decodesHandWrittenMappings() {
        SourceMap map = SourceMap.parse(MAP);
        assertEquals(List.of("src/index.ts", "src/lib.ts"), map.sources(), "the bundle folder's ../ is dropped");
        assertEquals(List.of("boom"), map.names());
        assertEquals(6, map.lineCount());

        assertEquals(Optional.of(pos("src/index.ts", 1, 1, null)), at(map, 1, 1));
        assertEquals(Optional.of(pos("src/index.ts", 1, 1, null)), at(map, 1, 50), "the last mapping at or before");
        assertEquals(Optional.empty(), at(map, 2, 1), "a line without mappings");
        assertEquals(Optional.of(pos("src/index.ts", 2, 1, null)), at(map, 3, 8));
        assertEquals(Optional.of(pos("src/index.ts", 2, 9, null)), at(map, 3, 9));
        assertEquals(Optional.of(pos("src/index.ts", 2, 9, null)), at(map, 3, 200));
        assertEquals(Optional.of(pos("src/lib.ts", 4, 11, "boom")), at(map, 4, 3), "source, line and name deltas");
        assertEquals(Optional.of(pos("src/lib.ts", 1004, 27, null)), at(map, 5, 17), "multi-digit values");
        assertEquals(Optional.of(pos("src/lib.ts", 1004, 27, null)), at(map, 5, 2),
                "before the line's first mapping: that mapping");
        assertEquals(Optional.of(pos("src/lib.ts", 1004, 27, null)), at(map, 5, 0), "column unknown");
        assertEquals(Optional.empty(), at(map, 6, 3), "a one-field segment maps to nothing");
        assertEquals(Optional.of(pos("src/lib.ts", 1004, 27, null)), at(map, 6, 6));
        assertEquals(Optional.empty(), at(map, 7, 1), "past the map");
        assertEquals(Optional.empty(), at(map, 0, 1));
    }

    @Test
    void negativeDeltasAndUnsortedSegments() {
        // KAAC: col 5 -> line 0, col 1; DAAD: col 4 -> line 0, col 0 (written after, with negative deltas)
        SourceMap map = SourceMap.parse("{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\"KAAC,DAAD\"}");
        assertEquals(Optional.of(pos("a.js", 1, 1, null)), at(map, 1, 5));
        assertEquals(Optional.of(pos("a.js", 1, 2, null)), at(map, 1, 6));
        // hB: -16 on the original line after gB: +16 -> back to line 0
        SourceMap back = SourceMap.parse("{\"version\":3,\"sources\":[\"a.js\"],\"mappings\":\"AAgBA;AAhBA\"}");
        assertEquals(Optional.of(pos("a.js", 17, 1, null)), at(back, 1, 1));
        assertEquals(Optional.of(pos("a.js", 1, 1, null)), at(back, 2, 1));
    }

    @Test
    void sourceRootAndPathsAreJoinedAndNormalised() {
        SourceMap map = SourceMap.parse("""
                {"version":3,"sourceRoot":"app/","sources":["./a.ts","x/../b.ts",null,"webpack://pkg/c.ts"],
                 "names":[],"mappings":"AAAA,CCAA,CCAA,CCAA","sourcesContent":["ignored \\u0041 \\n"]}
                """);
        assertEquals(java.util.Arrays.asList("app/a.ts", "app/b.ts", null, "webpack://pkg/c.ts"), map.sources());
        assertEquals(Optional.of(pos("app/b.ts", 1, 1, null)), at(map, 1, 2));
        assertEquals(Optional.empty(), at(map, 1, 3), "a null source maps to nothing");
        assertEquals(Optional.of(pos("webpack://pkg/c.ts", 1, 1, null)), at(map, 1, 4));
    }

    @Test
    void refusesWhatIsNotAVersion3Map() {
        for (String bad : List.of("", "[]", "{\"version\":2,\"sources\":[],\"mappings\":\"\"}",
                "{\"version\":3,\"sections\":[]}", "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"A!AA\"}",
                "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"ACAA\"}",
                "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAAA\"}",
                "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AA\"}",
                "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"g\"}",
                "{\"version\":3,\"sources\":[\"a\"]}", "{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAA\"} x")) {
            assertThrows(IllegalArgumentException.class, () -> SourceMap.parse(bad), bad);
        }
    }

    @Test
    void framesNameTheAuthorsFilesMappedOrNot() {
        WorkerBundle bundle = new WorkerBundle("s", "v1", "index.js", List.of(
                WorkerModule.of("index.js", ModuleType.ES_MODULE, "export default {};"),
                WorkerModule.of("lib/x.js", ModuleType.ES_MODULE, "export const x = 1;")), List.of(), 0,
                Map.of("index.js", MAP.getBytes(StandardCharsets.UTF_8)));
        String stack = String.join("\n",
                "Error: boom at /worker/index.js:4:3 (in the message: left alone)",
                "    at boom (/worker/index.js:4:3)",
                "    at /worker/index.js:3:9",
                "    at async Promise.all (index 0)",
                "    at Array.map (native)",
                "    at other (/worker/lib/x.js:1:1)",
                "    at unmapped (/worker/index.js:2:1)");
        assertEquals(String.join("\n",
                "Error: boom at /worker/index.js:4:3 (in the message: left alone)",
                "    at boom (src/lib.ts:4:11)",
                "    at src/index.ts:2:9",
                "    at async Promise.all (index 0)",
                "    at Array.map (native)",
                "    at other (lib/x.js:1:1)",
                "    at unmapped (index.js:2:1)"), bundle.mapStack(stack));
        assertEquals(null, bundle.mapStack(null));

        WorkerBundle plain = new WorkerBundle("s", "v2", "index.js", List.of(
                WorkerModule.of("index.js", ModuleType.ES_MODULE, "export default {};")), List.of());
        String stripped = String.join("\n",
                "Error: boom at /worker/index.js:4:3 (in the message: left alone)",
                "    at boom (index.js:4:3)",
                "    at index.js:3:9",
                "    at async Promise.all (index 0)",
                "    at Array.map (native)",
                "    at other (lib/x.js:1:1)",
                "    at unmapped (index.js:2:1)");
        assertEquals(stripped, plain.mapStack(stack), "without maps, frames lose only the module root");

        WorkerBundle broken = new WorkerBundle("s", "v3", "index.js", List.of(
                WorkerModule.of("index.js", ModuleType.ES_MODULE, "export default {};")), List.of(), 0,
                Map.of("index.js", "{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(stripped, broken.mapStack(stack), "a map that does not decode maps nothing");
        assertTrue(broken.sourceMaps().containsKey("index.js"));
        assertThrows(IllegalArgumentException.class, () -> new WorkerBundle("s", "v4", "index.js", List.of(
                WorkerModule.of("index.js", ModuleType.ES_MODULE, "export default {};")), List.of(), 0,
                Map.of("other.js", MAP.getBytes(StandardCharsets.UTF_8))), "a map for a module the version lacks");
    }
}
