package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MergePatchTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text.replace('\'', '"'));
    }

    @Test
    void equalDocumentsNeedNoPatch() throws Exception {
        assertThat(MergePatch.diff(json("{'a':1,'b':{'c':[1,2]}}"), json("{'a':1,'b':{'c':[1,2]}}"))).isEmpty();
    }

    @Test
    void removedFieldsBecomeNullsAndNestedObjectsAreDiffed() throws Exception {
        var patch = MergePatch.diff(json("{'a':1,'r':{'x':1,'y':2},'gone':'z'}"), json("{'a':2,'r':{'x':1}}"));
        assertThat(patch).isEqualTo(json("{'a':2,'r':{'y':null},'gone':null}"));
    }

    @Test
    void listsAreReplacedWhole() throws Exception {
        assertThat(MergePatch.diff(json("{'l':[1,2]}"), json("{'l':[2]}"))).isEqualTo(json("{'l':[2]}"));
    }
}
