"""AF101 fixes that make a line too long come out as `ruff format` lays them out (the input is
formatted). Each case is marked `# AF101` (must be found) or `# ok` (must not be)."""

import asyncio
import os
import subprocess


async def breaks_the_arguments(command_line, directory):
    subprocess.run(command_line, check=True, cwd=directory)  # AF101
    result = subprocess.run(command_line, capture_output=True, text=True)  # AF101
    output = subprocess.check_output(command_line, cwd=directory)  # AF101
    return result, output


async def fits_on_one_line(cmd):
    subprocess.run(cmd, check=True)  # AF101
    return os.system(cmd)  # AF101


async def inside_a_call(command_line, directory):
    return str(subprocess.check_output(command_line, cwd=directory, text=True))  # AF101


async def inside_brackets(command_line, directory):
    return [{"output": subprocess.check_output(command_line, cwd=directory)}]  # AF101


async def a_comment_inside_is_left_alone(command_line, directory):
    return [
        {
            "output": subprocess.check_output(command_line, cwd=directory)  # AF101
        }
    ]


async def two_in_one_test(first_command, second_command):
    if os.system(first_command) and not os.system(second_command):  # AF101, AF101
        pass
    await asyncio.sleep(0)
