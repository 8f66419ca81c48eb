#!/usr/bin/env python3
"""Builds original_dump.tar.gz exactly as the Python service's dump did (tarfile, gzip, default PAX format):
{chat_id}/ added recursively, then {chat_id}/conversation_metadata.json = to_dict() of the conversation."""
import io, json, os, tarfile, tempfile

CHAT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
PARTITION = "2026/02"
BASE = f"./automation/workflows/{PARTITION}/{CHAT}"

with tempfile.TemporaryDirectory() as tmp:
    root = os.path.join(tmp, CHAT)
    for d in ("uploads", "outputs", "intermediate"):
        os.makedirs(os.path.join(root, d))
    with open(os.path.join(root, "metadata.json"), "w") as f:
        json.dump({"chat_id": CHAT, "created_at": "2026-02-07T14:19:39.000001", "partition_key": PARTITION}, f, indent=2)
    with open(os.path.join(root, "uploads", "data.csv"), "w", newline="") as f:
        f.write("id,name\n1,An\n2,Phở\n")
    with open(os.path.join(root, "outputs", "data_extracted_20260207_141939.xlsx"), "wb") as f:
        f.write(b"PK\x05\x06" + b"\x00" * 18)   # an empty zip: the restore only moves bytes
    conv = {
        "chat_id": CHAT, "participant_name": "BlueWhale-4821", "status": "completed",
        "messages": [{"message_id": "11111111-2222-3333-4444-555555555555", "message_type": "file_upload",
                      "content": "File uploaded: data.csv", "metadata": {"file_path": f"{BASE}/uploads/data.csv"},
                      "created_at": "2026-02-07T14:19:40.000001"}],
        "workflow_steps": [],
        "uploaded_files": [f"{BASE}/uploads/data.csv"],
        "output_files": [f"{BASE}/outputs/data_extracted_20260207_141939.xlsx"],
        "metadata": {}, "created_at": "2026-02-07T14:19:39.000001", "updated_at": "2026-02-07T14:20:00.000001",
        "partition_key": PARTITION,
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "original_dump.tar.gz")
    with tarfile.open(out, "w:gz") as tar:
        tar.add(root, arcname=CHAT)
        data = json.dumps(conv, indent=2).encode()
        info = tarfile.TarInfo(name=f"{CHAT}/conversation_metadata.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
print("wrote", out)
