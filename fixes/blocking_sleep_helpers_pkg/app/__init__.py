from .net import refresh as reload
