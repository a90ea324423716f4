#pragma once
// Locating and opening Hugging Face model folders: a local folder, or a model id looked up in
// the Hugging Face cache (models--ORG--NAME/snapshots/<revision>), never downloaded.
#include "uae/result.h"
#include "uae/safetensors.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace uae {

// A folder path is returned as is (when it exists); "ORG/NAME" is looked up in $HF_HUB_CACHE,
// $HF_HOME/hub and ~/.cache/huggingface/hub, using refs/main or else the newest snapshot.
Result<std::string> resolveModelDir(const std::string& pathOrId);

// All weights of a checkpoint: model.safetensors, or the shards named by
// model.safetensors.index.json (each file mapped once), or the folder's only *.safetensors.
class WeightSet {
public:
    static Result<WeightSet> open(const std::string& dir);
    // The tensor and the file holding it; null when absent.
    const TensorInfo* find(const std::string& name, const SafetensorsFile** file = nullptr) const;
    std::vector<std::string> names() const;
    const std::vector<std::string>& files() const { return m_files; }

private:
    std::vector<std::shared_ptr<SafetensorsFile>> m_open;
    std::map<std::string, const SafetensorsFile*> m_where;
    std::vector<std::string> m_files;
};

} // namespace uae
