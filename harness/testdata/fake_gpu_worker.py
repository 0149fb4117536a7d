"""A stand-in for harness/python/worker.py on a machine with GPUs, for testing how a
runner spreads evaluations over GPUs (harness/gpu_pool.h) on a machine without any.

It reads fake_gpus.json beside itself:
  backend     "cuda" or "rocm"
  names       the GPUs the machine has, by index (device names)
  log         a file to append "start|end <pin> <time>" lines to, one pair per request
  sleep_s     how long each evaluation takes
  ignore_pin  see every GPU whatever the environment says (a pin that does not work)

--probe describes the GPUs the device-selection variable (CUDA_VISIBLE_DEVICES or
HIP_VISIBLE_DEVICES) leaves visible; --request writes a passing result with the
request's token, naming that variable's value in its message. It evaluates nothing.
"""
import json
import os
import sys
import time

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_gpus.json")) as f:
    config = json.load(f)
variable = "HIP_VISIBLE_DEVICES" if config["backend"] == "rocm" else "CUDA_VISIBLE_DEVICES"
pin = os.environ.get(variable)


def visible():
    names = config["names"]
    if pin is None or config.get("ignore_pin"):
        return names
    return [names[int(p)] for p in pin.split(",") if p.strip().isdigit() and int(p) < len(names)]


if "--probe" in sys.argv:
    devices = visible()
    env = {"backend": config["backend"], "device_name": devices[0] if devices else "",
           "device_count": len(devices), "torch_version": "0-fake", "triton_version": "0-fake",
           "python_version": "3", "hostname": "fake", "os": "fake", "cpu": "fake"}
    with open(sys.argv[sys.argv.index("--out") + 1], "w") as f:
        json.dump(env, f)
    sys.exit(0)

with open(sys.argv[sys.argv.index("--request") + 1]) as f:
    request = json.load(f)
with open(config["log"], "a") as log:
    log.write(f"start {pin} {time.time():.6f}\n")
time.sleep(config.get("sleep_s", 0.5))
with open(config["log"], "a") as log:
    log.write(f"end {pin} {time.time():.6f}\n")
result = {"call_ok": True, "execution_ok": True, "failure_kind": "NONE", "device": "gpu",
          "message": f"{variable}={pin}", "result_token": request["result_token"]}
with open(request["result_path"], "w") as f:
    json.dump(result, f)
