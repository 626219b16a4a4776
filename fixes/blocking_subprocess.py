"""AF101 blocking-subprocess. Each case is marked `# AF101` (must be found) or `# ok` (must not be)."""
import asyncio
import functools
import os
import subprocess
import subprocess as sp
from os import system
from subprocess import check_output as co


async def direct(cmd):
    subprocess.run(cmd, check=True)  # AF101
    sp.call(cmd)  # AF101
    subprocess.check_call(cmd)  # AF101
    out = co(cmd, text=True)  # AF101
    status, text = subprocess.getstatusoutput("ls")  # AF101
    text = subprocess.getoutput("ls")  # AF101
    os.system("true")  # AF101
    system("true")  # AF101
    os.waitpid(1, 0)  # AF101
    os.wait()  # AF101
    return out, status, text


async def keeps_value_and_precedence(cmd):
    code = subprocess.run(cmd).returncode  # AF101
    lines = subprocess.check_output(cmd).splitlines()  # AF101
    ok = os.system("true") == 0  # AF101
    return code, lines, ok


async def multiline(cmd):
    return subprocess.run(  # AF101
        cmd,  # the command
        check=True,
    )


async def popen(cmd):
    pipe = os.popen(cmd)  # AF101
    text = os.popen(cmd).read()  # AF101
    return pipe, text


async def report_only(cmd, other):
    subprocess.run(await other)  # AF101
    with os.popen(cmd) as pipe:  # AF101
        return pipe.read()


async def already_offloaded(cmd):
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(subprocess.run, cmd)  # ok
    await loop.run_in_executor(None, functools.partial(subprocess.run, cmd))  # ok
    await loop.run_in_executor(None, os.system, "true")  # ok
    proc = await asyncio.create_subprocess_exec("ls")  # ok
    await proc.wait()  # ok
    return await asyncio.create_subprocess_exec(*cmd)  # ok


async def starts_a_process(cmd):
    p = subprocess.Popen(cmd)  # AF101
    return p


async def not_async_context(cmd):
    def worker():
        return subprocess.run(cmd)  # ok

    run_later = lambda: os.system("true")  # ok
    lazy = (subprocess.run(c) for c in cmd)  # ok

    class Inner:
        status = os.system("true")  # ok

    "subprocess.run(cmd)"  # ok
    # subprocess.run(cmd)
    return worker, run_later, lazy, Inner


def sync(cmd):
    subprocess.run(cmd)  # ok


async def shadowed(subprocess, os):
    subprocess.run("ls")  # ok
    os.system("ls")  # ok


async def comprehension(cmds):
    return [subprocess.run(c) for c in cmds]  # AF101


def rebuild(target):
    return _make(target)


def _make(target):
    return subprocess.run(["make", target])  # ok


async def through_helpers(target):
    rebuild(target)  # AF101
    await asyncio.to_thread(rebuild, target)  # ok
    return _make  # ok


class Builder:
    def build(self):
        os.system("make")  # ok

    async def run(self):
        self.build()  # AF101


async def spawn_and_wait(path, args, env, pid):
    os.spawnl(os.P_WAIT, path, "x")  # AF101
    os.spawnle(os.P_WAIT, path, "x", env)  # AF101
    os.spawnlp(os.P_WAIT, "ls", "ls")  # AF101
    os.spawnlpe(os.P_WAIT, "ls", "ls", env)  # AF101
    os.spawnv(os.P_WAIT, path, args)  # AF101
    os.spawnve(os.P_WAIT, path, args, env)  # AF101
    os.spawnvp(os.P_WAIT, "ls", args)  # AF101
    os.spawnvpe(os.P_WAIT, "ls", args, env)  # AF101
    os.posix_spawn(path, args, env)  # AF101
    os.posix_spawnp("ls", args, env)  # AF101
    os.wait3(0)  # AF101
    os.wait4(pid, 0)  # AF101
    os.waitid(os.P_PID, pid, os.WEXITED)  # AF101


def sync_spawn_and_wait(path, args, env, pid):
    os.spawnl(os.P_WAIT, path, "x")  # ok
    os.spawnvpe(os.P_WAIT, "ls", args, env)  # ok
    os.posix_spawn(path, args, env)  # ok
    os.posix_spawnp("ls", args, env)  # ok
    os.wait()  # ok
    os.wait3(0)  # ok
    os.wait4(pid, 0)  # ok
    os.waitid(os.P_PID, pid, os.WEXITED)  # ok
    os.waitpid(pid, 0)  # ok
    os.popen("ls")  # ok
    os.system("ls")  # ok
